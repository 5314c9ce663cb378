import type { ClassStore, ImageClass } from '../data/class-store';
import { demoSet } from '../data/demo-shapes';
import { fileToCanvas } from '../data/pixels';
import { el, onDrop, panel } from './dom';
import { guarded, status } from './status';
import { Webcam } from './webcam';

async function imagesFrom(files: File[]): Promise<HTMLCanvasElement[]> {
  const images = files.filter((f) => f.type.startsWith('image/'));
  return Promise.all(images.map(fileToCanvas));
}

function classCard(store: ClassStore, c: ImageClass, webcam: Webcam | null): HTMLElement {
  const files = el('input', { type: 'file', accept: 'image/*', multiple: true, 'aria-label': `images for ${c.name}` });
  files.addEventListener('change', () =>
    guarded('reading images', async () => store.addImages(c.id, await imagesFrom([...(files.files ?? [])]))),
  );
  const name = el('input', { value: c.name, class: 'class-name', 'aria-label': 'class name' });
  name.addEventListener('input', () => store.rename(c.id, name.value));
  const thumbs = el(
    'div',
    { class: 'thumbs' },
    ...c.images.slice(-12).map((img) => {
      img.classList.add('thumb');
      return img;
    }),
  );
  const card = el(
    'div',
    { class: 'class-card', 'data-class': c.name },
    el('div', { class: 'row' }, name, el('span', { class: 'count' }, `${c.images.length} images`)),
    thumbs,
    el('div', { class: 'row' }, files),
    el('button', { type: 'button', onclick: () => store.remove(c.id) }, 'remove'),
  );
  if (webcam) {
    card.append(
      el(
        'button',
        {
          type: 'button',
          onclick: () =>
            guarded('capturing', async () => {
              if (!webcam.running) await webcam.start();
              store.addImages(c.id, [webcam.capture()]);
            }),
        },
        'capture from camera',
      ),
    );
  }
  onDrop(card, (f) => void guarded('reading images', async () => store.addImages(c.id, await imagesFrom(f))));
  return card;
}

/** Classes and their pictures: a one-click demo set, files, drag and drop, and the camera where there is one. */
export function classesPanel(store: ClassStore): HTMLElement {
  const list = el('div', { id: 'classes', class: 'classes' });
  let webcam: Webcam | null = null;
  const camSlot = el('div', {});
  void Webcam.available().then((yes) => {
    if (!yes) return;
    webcam = new Webcam();
    camSlot.append(webcam.video);
    render();
  });
  function render(): void {
    list.replaceChildren(...store.classes.map((c) => classCard(store, c, webcam)));
  }
  store.onChange(render);
  const demo = el(
    'button',
    {
      id: 'demo',
      type: 'button',
      onclick: () => {
        store.replaceAll(demoSet());
        status('demo set ready: 3 shapes x 24 pictures, drawn in the page');
      },
    },
    'Use the demo set (circles, squares, triangles)',
  );
  const add = el(
    'button',
    { id: 'add-class', type: 'button', onclick: () => store.add(`class ${store.classes.length + 1}`) },
    'Add a class',
  );
  return panel(
    'classes-panel',
    '2. Classes and pictures',
    el('p', { class: 'small' }, 'Drop pictures on a class, choose files, or capture from the camera.'),
    el('div', { class: 'row' }, demo, add),
    camSlot,
    list,
  );
}
