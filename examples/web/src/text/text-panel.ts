import type { ClassPrediction } from 'graftjs';
import { el, panel } from '../ui/dom';
import { guarded, status } from '../ui/status';
import type { TextClass, TextSession } from './text-session';

const DEBOUNCE_MS = 250;

/** A spam / not spam starter set, so the tab can be tried without typing examples first. */
const EXAMPLE: TextClass[] = [
  {
    name: 'spam',
    examples: [
      'WINNER! You have won a free cruise, call now to claim your prize',
      'URGENT: your mobile number won £1000 cash, text CLAIM to 80082',
      'Free entry in a weekly draw, reply WIN to get your ringtone',
    ],
  },
  {
    name: 'normal',
    examples: [
      'Are we still meeting for lunch tomorrow?',
      'I will be home late tonight, do not wait for dinner',
      'Thanks for the lift yesterday, see you at work',
    ],
  },
];

/** One class card: a name and a textarea of examples, one per line. */
function classCard(index: number, name: string, examples: string[] = []): HTMLElement {
  return el(
    'div',
    { class: 'class-card text-class', 'data-index': index },
    el('input', { class: 'text-class-name', value: name, 'aria-label': `name of class ${index + 1}` }),
    el(
      'textarea',
      {
        class: 'text-class-examples',
        rows: 5,
        placeholder: 'one example sentence per line',
        'aria-label': `examples of class ${index + 1}`,
      },
      examples.join('\n'),
    ),
  );
}

/** The classes as typed: names trimmed, one example per non-empty line; a class without either is an error. */
function readClasses(list: HTMLElement): TextClass[] {
  const classes = [...list.querySelectorAll<HTMLElement>('.text-class')].map((card) => ({
    name: card.querySelector<HTMLInputElement>('.text-class-name')?.value.trim() ?? '',
    examples: (card.querySelector<HTMLTextAreaElement>('.text-class-examples')?.value ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0),
  }));
  const bad = classes.findIndex((c) => c.name === '' || c.examples.length === 0);
  if (bad >= 0) throw new Error(`class ${bad + 1} needs a name and at least one example`);
  if (new Set(classes.map((c) => c.name)).size !== classes.length) throw new Error('class names must differ');
  return classes;
}

/** Label and one probability meter per class. */
function showPrediction(out: HTMLElement, p: ClassPrediction, names: readonly string[]): void {
  out.dataset.label = String(p.label);
  out.dataset.probabilities = JSON.stringify(p.probabilities);
  out.replaceChildren(
    el('p', {}, 'label: ', el('strong', {}, String(p.label))),
    el(
      'ul',
      { class: 'text-probabilities' },
      ...p.probabilities.map((prob, i) =>
        el(
          'li',
          { class: i === p.index ? 'best' : '' },
          el('span', {}, names[i] ?? String(i)),
          el('meter', { min: 0, max: 1, value: prob }),
          el('span', {}, `${(prob * 100).toFixed(1)}%`),
        ),
      ),
    ),
  );
}

/** Text tab: examples per class, Train (USE Lite + a solved softmax head), then classify as you type. */
export function textPanel(session: TextSession): HTMLElement {
  const list = el('div', { id: 'text-classes', class: 'classes' }, classCard(0, 'class 1'), classCard(1, 'class 2'));
  const input = el('input', {
    id: 'text-input',
    class: 'text-input',
    placeholder: 'type a sentence to classify…',
    'aria-label': 'sentence to classify',
    disabled: true,
  });
  const out = el('div', { id: 'text-prediction' });
  let node: HTMLElement;
  const setState = (state: string) => {
    node.dataset.state = state;
  };

  const train = () =>
    guarded('training the text model', async () => {
      setState('training');
      try {
        const classes = readClasses(list);
        status('text: loading USE Lite (28 MB) and embedding the examples…');
        const model = await session.train(classes);
        const solver = model.lastFit?.solver ?? 'gradient';
        status(`text: trained on ${session.backend} (${solver} head, ${classes.length} classes)`);
        input.disabled = false;
        setState('trained');
        if (input.value.trim()) await classify();
      } catch (e) {
        setState('failed');
        throw e;
      }
    });

  let asked = 0;
  const classify = async () => {
    const text = input.value.trim();
    const ask = ++asked;
    if (!text || !session.model) {
      delete out.dataset.label;
      out.replaceChildren();
      return;
    }
    const p = await session.predict(text);
    // a slower earlier answer never overwrites a newer one
    if (ask === asked) showPrediction(out, p, session.model.classNames ?? []);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void guarded('classifying', classify), DEBOUNCE_MS);
  });

  const addClass = () => list.append(classCard(list.children.length, `class ${list.children.length + 1}`));
  const example = () => list.replaceChildren(...EXAMPLE.map((c, i) => classCard(i, c.name, c.examples)));
  node = panel(
    'text-panel',
    'Text: classify sentences',
    el(
      'p',
      { class: 'small' },
      'Type a few example sentences per class, one per line, then Train. The sentence encoder (Universal Sentence ',
      'Encoder Lite, 28 MB) loads on the first Train and runs on the backend chosen above; a softmax head is solved ',
      'on its embeddings. Then type below: the sentence is classified as you type.',
    ),
    list,
    el(
      'div',
      { class: 'row' },
      el('button', { id: 'text-add-class', type: 'button', onclick: addClass }, 'Add class'),
      el('button', { id: 'text-example', type: 'button', onclick: example }, 'Example: spam or normal'),
      el('button', { id: 'text-train', type: 'button', onclick: () => void train() }, 'Train'),
    ),
    el('div', { class: 'row' }, input),
    out,
  );
  return node;
}
