import type { Logs, ProgressEvent } from 'graftjs';
import type { ClassStore } from '../data/class-store';
import { BACKBONE, type ModelKind, SERVED_BACKBONE_URL } from '../training/model-kinds';
import type { Session } from '../training/session';
import { TrainingChart } from './chart';
import { el, panel } from './dom';
import { guarded, status } from './status';

/** Whether the dev/preview server serves the shared MobileNet files (its models/index.json, vite.config.ts). */
async function backboneServed(): Promise<boolean> {
  try {
    const res = await fetch('models/index.json');
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return false;
    const { models } = (await res.json()) as { models?: unknown };
    return Array.isArray(models) && models.includes(BACKBONE);
  } catch {
    return false;
  }
}

/** Model choice, train / stop / fine-tune, a progress bar and the live chart. */
export function trainPanel(session: Session, store: ClassStore, onTrained: () => void): HTMLElement {
  const model = el(
    'select',
    { id: 'model', 'aria-label': 'model' },
    el('option', { value: 'cnn' }, 'small CNN built with sequential() (fast)'),
    el('option', { value: 'mobilenet', disabled: true }, `${BACKBONE} backbone (served by the dev server)`),
    el('option', { value: 'dropped', disabled: true }, `${BACKBONE} backbone from dropped files`),
  );
  void backboneServed().then((ok) => {
    (model.options[1] as HTMLOptionElement).disabled = !ok;
  });
  const dropped: Record<string, ArrayBuffer> = {};
  const modelFiles = el('input', { id: 'model-files', type: 'file', multiple: true, 'aria-label': 'backbone files' });
  modelFiles.addEventListener('change', () =>
    guarded('reading the backbone files', async () => {
      for (const f of modelFiles.files ?? []) dropped[f.name] = await f.arrayBuffer();
      (model.options[2] as HTMLOptionElement).disabled = !('model.json' in dropped);
      status(`${Object.keys(dropped).length} backbone files read`);
    }),
  );
  const epochs = el('input', { id: 'epochs', type: 'number', min: 1, max: 100, value: 15, 'aria-label': 'epochs' });
  const batch = el('input', {
    id: 'batch-size',
    type: 'number',
    min: 1,
    max: 256,
    value: 8,
    'aria-label': 'batch size',
  });
  const train = el('button', { id: 'train', type: 'button' }, 'Train');
  const stop = el('button', { id: 'stop', type: 'button', disabled: true }, 'Stop');
  const fineTune = el('button', { id: 'finetune', type: 'button', disabled: true }, 'Fine-tune');
  const bar = el('progress', { id: 'progress', max: 1, value: 0 });
  const barText = el('span', { id: 'progress-text', class: 'small' }, '');
  const canvas = el('canvas', { id: 'chart', width: 560, height: 220 });
  const chart = new TrainingChart(canvas);
  let controller: AbortController | null = null;

  const callbacks = {
    onProgress(e: ProgressEvent) {
      bar.value = e.fraction;
      barText.textContent = `${e.phase === 'features' ? 'computing features' : `epoch ${e.epoch + 1}/${e.epochs}`} · ${Math.round(e.fraction * 100)}% · ${Math.round(e.samplesPerSecond)} samples/s`;
    },
    onEpochEnd(_epoch: number, logs: Logs) {
      chart.add(logs);
    },
  };

  async function run(fine: boolean): Promise<void> {
    const problem = store.problem();
    if (problem) throw new Error(problem);
    controller = new AbortController();
    train.disabled = fineTune.disabled = true;
    stop.disabled = false;
    panelNode.dataset.state = 'training';
    try {
      if (!fine) chart.clear();
      const n = Number(epochs.value) || 15;
      const batchSize = Number(batch.value) || 8;
      const kind = model.value as ModelKind;
      const t0 = performance.now();
      const from = kind === 'mobilenet' ? new URL(SERVED_BACKBONE_URL, location.href).href : dropped;
      const result = fine
        ? await session.fineTune(store.classes, n, batchSize, controller.signal, callbacks)
        : await session.train(
            kind,
            store.classes,
            { epochs: n, batchSize, from, signal: controller.signal },
            callbacks,
          );
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      const pct = (k: string) => {
        const v = result.history[k]?.at(-1);
        return v === undefined
          ? ''
          : `, ${k === 'accuracy' ? 'accuracy' : 'validation accuracy'} ${(v * 100).toFixed(0)}%`;
      };
      status(
        `${result.summary?.stoppedBy === 'aborted' ? 'stopped' : 'trained'} on ${result.summary?.backend} in ${secs} s` +
          pct('accuracy') +
          pct('valAccuracy'),
      );
      panelNode.dataset.state = result.summary?.stoppedBy === 'aborted' ? 'stopped' : 'trained';
      onTrained();
    } catch (e) {
      panelNode.dataset.state = 'failed';
      throw e;
    } finally {
      controller = null;
      train.disabled = false;
      fineTune.disabled = session.model === null;
      stop.disabled = true;
    }
  }

  train.addEventListener('click', () => void guarded('training', () => run(false)));
  fineTune.addEventListener('click', () => void guarded('fine-tuning', () => run(true)));
  stop.addEventListener('click', () => controller?.abort());

  const panelNode = panel(
    'train-panel',
    '3. Train',
    el(
      'div',
      { class: 'row' },
      el('label', {}, 'Model ', model),
      el('label', {}, 'epochs ', epochs),
      el('label', {}, 'batch size ', batch),
    ),
    el('p', { class: 'small' }, 'MobileNet files (model.json and its shards) can be chosen here: ', modelFiles),
    el('div', { class: 'row' }, train, stop, fineTune),
    el('div', { class: 'row' }, bar, barText),
    canvas,
  );
  return panelNode;
}
