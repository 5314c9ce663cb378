import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import type { Dataset } from './dataset';

/**
 * Class names belong to the model: a Dataset numbers its classes its own way (sorted names it holds, a folder
 * listing, given `classNames`), so its labels are mapped onto the model's classes by name before they meet the
 * network. `names` are the data's class names (the Dataset's, else the ones given with the call); without names
 * on either side the labels are taken as the model's indices. Returns `data` itself when nothing moves, else a
 * relabelled Dataset sharing the samples (the caller disposes it). A label the model does not know is a
 * GraftError `UNKNOWN_CLASS`; nothing is changed by it.
 */
export async function mapClasses(
  data: Dataset,
  modelNames: string[] | undefined,
  names: string[] | undefined,
  what: string,
): Promise<Dataset> {
  if (!modelNames || !names || !data.y || sameNames(names, modelNames)) return data;
  const info = await data.labels();
  if (!info?.integral) return data;
  const target = new Map(modelNames.map((n, i) => [n, i]));
  const table = names.map((n) => target.get(n) ?? -1);
  const values = await data.y.data();
  const unknown = (k: number): never => {
    throw new GraftError(
      'UNKNOWN_CLASS',
      `expected ${what} labels among the model's classes [${modelNames.join(', ')}], got ${JSON.stringify(names[k] ?? k)}`,
      { classNames: modelNames, label: names[k] ?? k },
    );
  };
  if (info.rank === 1) {
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const k = table[values[i]] ?? -1;
      out[i] = k < 0 ? unknown(values[i]) : k;
    }
    return data.relabel(tf.tensor1d(out, 'float32'), modelNames);
  }
  // one-hot or multi-hot rows, one column per data class: columns move to the model's positions
  if (info.width !== names.length) return data;
  const rows = values.length / info.width;
  const out = new Float32Array(rows * modelNames.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < info.width; c++) {
      const v = values[r * info.width + c];
      if (v === 0) continue;
      out[r * modelNames.length + (table[c] < 0 ? unknown(c) : table[c])] = v;
    }
  }
  return data.relabel(tf.tensor2d(out, [rows, modelNames.length], 'float32'), modelNames);
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
