import type { ClassPrediction } from 'graftjs';
import { DEMO_CLASSES, drawShape } from '../data/demo-shapes';
import { fileToCanvas } from '../data/pixels';
import { explainPicture } from '../training/explain-picture';
import type { Session } from '../training/session';
import { el, onDrop, panel } from './dom';
import { showHeatmap } from './heatmap-overlay';
import { guarded, status } from './status';

function bars(p: ClassPrediction, names: string[]): HTMLElement[] {
  return p.probabilities.map((prob, i) =>
    el(
      'div',
      { class: `bar${i === p.index ? ' best' : ''}`, 'data-label': names[i] ?? String(i) },
      el('span', { class: 'bar-name' }, names[i] ?? String(i)),
      el('span', { class: 'bar-fill', style: `width:${(prob * 100).toFixed(1)}%` }),
      el('span', { class: 'bar-value' }, `${(prob * 100).toFixed(1)}%`),
    ),
  );
}

/** Predicts on a new picture (a file, a drop, or a freshly drawn demo shape) and shows per-class probabilities. */
export function predictPanel(session: Session): HTMLElement {
  const runtime = el(
    'select',
    { id: 'predict-runtime', 'aria-label': 'prediction runtime' },
    el('option', { value: 'tfjs' }, 'the chosen backend'),
    el('option', { value: 'onnx' }, 'onnxruntime-web (ONNX export of the model)'),
  );
  const preview = el('div', { class: 'preview' });
  const out = el('div', { id: 'prediction' });
  const file = el('input', {
    id: 'predict-file',
    type: 'file',
    accept: 'image/*',
    'aria-label': 'picture to classify',
  });

  async function classify(picture: HTMLCanvasElement): Promise<void> {
    preview.replaceChildren(picture);
    const p = await session.predict(picture, runtime.value as 'tfjs' | 'onnx');
    const names = session.model?.classNames ?? [];
    out.dataset.label = String(p.label);
    out.replaceChildren(el('p', {}, `looks like: ${p.label}`), ...bars(p, names));
    status(`prediction: ${p.label} (${runtime.value})`);
    const explained = await explainPicture(session, picture);
    if (explained) showHeatmap(preview, explained);
  }

  file.addEventListener('change', () =>
    guarded('predicting', async () => {
      const f = file.files?.[0];
      if (f) await classify(await fileToCanvas(f));
    }),
  );
  const demo = el(
    'button',
    {
      id: 'predict-demo',
      type: 'button',
      onclick: () =>
        guarded('predicting', async () => {
          const shape = DEMO_CLASSES[Math.floor(Math.random() * DEMO_CLASSES.length)];
          const seed = Math.floor(Math.random() * 1e6);
          const canvas = drawShape(shape, mulberry(seed));
          canvas.dataset.truth = shape;
          await classify(canvas);
        }),
    },
    'Draw a new demo shape and classify it',
  );
  const node = panel(
    'predict-panel',
    '4. Predict',
    el('div', { class: 'row' }, file, demo, el('label', {}, 'with ', runtime)),
    el('div', { class: 'row' }, preview, out),
  );
  onDrop(
    node,
    (files) =>
      void guarded('predicting', async () => {
        if (files[0]) await classify(await fileToCanvas(files[0]));
      }),
  );
  return node;
}

function mulberry(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
