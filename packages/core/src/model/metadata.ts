import { GraftError } from '../errors/graft-error';
import type { Preprocessing } from '../transfer/backbone';
import { LOSS_NAMES, type LossName, METRIC_NAMES, type MetricName } from './losses';
import type { Task } from './predictions';

/** What is saved with a model besides its network. */
export interface ModelMetadata {
  classNames?: string[];
  task?: Task;
  loss?: LossName;
  /** The output is logits (predict applies sigmoid/softmax). */
  fromLogits?: boolean;
  metrics?: MetricName[];
  preprocessing?: Preprocessing;
  history?: Record<string, number[]>;
  /** The frozen base a saved head needs, by its `reference` (the base itself is not saved). */
  base?: string;
}

function unknownName(field: string, known: readonly string[], got: unknown): GraftError {
  return new GraftError(
    'INVALID_MODEL_FILE',
    `expected the saved model's ${field} among [${known.join(', ')}], got ${JSON.stringify(got)} (was model.json edited or written by a newer graft?)`,
    { field },
  );
}

/**
 * Keeps only known metadata fields with the right types: saved files are data, never trusted. A loss or metric
 * graft does not know is refused here, at load, rather than failing later inside evaluate or fit.
 */
export function sanitiseMetadata(m: ModelMetadata): ModelMetadata {
  const out: ModelMetadata = {};
  if (typeof m.loss === 'string' && !LOSS_NAMES.includes(m.loss)) throw unknownName('loss', LOSS_NAMES, m.loss);
  if (Array.isArray(m.metrics)) {
    const bad = m.metrics.find((x) => typeof x !== 'string' || !METRIC_NAMES.includes(x));
    if (bad !== undefined) throw unknownName('metrics', METRIC_NAMES, bad);
  }
  if (Array.isArray(m.classNames) && m.classNames.every((c) => typeof c === 'string'))
    out.classNames = [...m.classNames];
  if (typeof m.task === 'string') out.task = m.task;
  if (typeof m.loss === 'string') out.loss = m.loss;
  if (typeof m.fromLogits === 'boolean') out.fromLogits = m.fromLogits;
  if (Array.isArray(m.metrics)) out.metrics = [...m.metrics];
  if (m.preprocessing && typeof m.preprocessing === 'object' && Array.isArray(m.preprocessing.size))
    out.preprocessing = m.preprocessing;
  if (typeof m.base === 'string') out.base = m.base;
  if (m.history && typeof m.history === 'object') {
    const h: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(m.history))
      if (Array.isArray(v) && k !== '__proto__') h[k] = v.filter((n) => typeof n === 'number');
    out.history = h;
  }
  return out;
}
