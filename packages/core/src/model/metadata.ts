import type { Preprocessing } from '../transfer/backbone';
import type { LossName, MetricName } from './losses';
import type { Task } from './predictions';

/** What is saved with a model besides its network. */
export interface ModelMetadata {
  classNames?: string[];
  task?: Task;
  loss?: LossName;
  metrics?: MetricName[];
  preprocessing?: Preprocessing;
  history?: Record<string, number[]>;
  /** The frozen base a saved head needs, by its `reference` (the base itself is not saved). */
  base?: string;
}

/** Keeps only known metadata fields with the right types: saved files are data, never trusted. */
export function sanitiseMetadata(m: ModelMetadata): ModelMetadata {
  const out: ModelMetadata = {};
  if (Array.isArray(m.classNames) && m.classNames.every((c) => typeof c === 'string'))
    out.classNames = [...m.classNames];
  if (typeof m.task === 'string') out.task = m.task;
  if (typeof m.loss === 'string') out.loss = m.loss;
  if (Array.isArray(m.metrics)) out.metrics = m.metrics.filter((x) => typeof x === 'string');
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
