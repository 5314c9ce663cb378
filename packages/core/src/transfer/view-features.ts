import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from '../builder/augment/pipeline';
import { joinRows } from '../data/join-rows';
import { createRng } from '../data/rng';
import { FEATURE_BATCH } from './compute-features';

/**
 * Features of `x` and of `augment.views` augmented views of it, view-major: rows [0, n) clean, then n rows per view.
 * Each batch of raw rows is augmented one view at a time and freed once its features are made, so memory holds one
 * batch of pixels (never `views` copies of the data) plus the features: (1 + views) feature passes in all. The draws
 * come from one stream seeded by `seed`, in batch order, so a seeded run repeats. On failure frees what it made.
 */
export async function viewFeatures(
  x: tf.Tensor,
  extract: (rows: tf.Tensor) => Promise<tf.Tensor>,
  augment: Augmentation,
  seed: number | undefined,
  report?: (batch: number, done: number) => void,
): Promise<tf.Tensor> {
  const n = x.shape[0];
  const rng = createRng(seed);
  const parts: tf.Tensor[][] = Array.from({ length: augment.views + 1 }, () => []);
  let batch = 0;
  try {
    for (let i = 0; i < n; i += FEATURE_BATCH) {
      const size = Math.min(FEATURE_BATCH, n - i);
      const rows = tf.slice(x, i, size) as tf.Tensor4D;
      try {
        parts[0].push(await extract(rows));
        for (let v = 1; v <= augment.views; v++) {
          const view = augment.apply(rows, rng);
          try {
            parts[v].push(await extract(view));
          } finally {
            if (view !== rows) view.dispose();
          }
        }
      } finally {
        rows.dispose();
      }
      report?.(batch++, (i + size) * (augment.views + 1));
      await new Promise((r) => setTimeout(r, 0));
    }
    const views = parts.map((p) => joinRows(p));
    return views.length === 1 ? views[0] : joinViews(views);
  } finally {
    for (const p of parts.flat()) p.dispose();
  }
}

function joinViews(views: tf.Tensor[]): tf.Tensor {
  const out = tf.concat(views, 0);
  for (const v of views) v.dispose();
  return out;
}

/** Rows of `rows` in each of `views` view-major blocks of `n` rows. */
export function viewRows(rows: ArrayLike<number>, n: number, views: number): Int32Array {
  const out = new Int32Array(rows.length * views);
  for (let v = 0; v < views; v++) for (let i = 0; i < rows.length; i++) out[v * rows.length + i] = v * n + rows[i];
  return out;
}
