import * as tf from '@tensorflow/tfjs-core';
import { joinRows } from '../data/join-rows';

/** Samples per feature batch. */
export const FEATURE_BATCH = 32;

/**
 * Runs `extract` over `x` batch by batch (raw inputs -> features [n, ...]) and joins the results. Yields between
 * batches; on any failure (a throwing reporter included) frees every batch computed so far.
 */
export async function computeFeatures(
  x: tf.Tensor,
  extract: (rows: tf.Tensor) => Promise<tf.Tensor>,
  report?: (batch: number, done: number) => void,
): Promise<tf.Tensor> {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  try {
    for (let i = 0; i < n; i += FEATURE_BATCH) {
      const size = Math.min(FEATURE_BATCH, n - i);
      const rows = tf.slice(x, i, size);
      try {
        parts.push(await extract(rows));
      } finally {
        rows.dispose();
      }
      report?.(i / FEATURE_BATCH, i + size);
      await new Promise((r) => setTimeout(r, 0));
    }
    return joinRows(parts);
  } finally {
    for (const p of parts) p.dispose();
  }
}
