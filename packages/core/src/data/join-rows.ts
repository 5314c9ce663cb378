import * as tf from '@tensorflow/tfjs-core';

/**
 * Joins batch results along rows, freeing the parts and emptying `parts` (so a caller's `finally` that frees what
 * is left frees nothing once this returned). One part is returned as it is.
 */
export function joinRows(parts: tf.Tensor[]): tf.Tensor {
  const out = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  if (parts.length > 1) for (const p of parts) p.dispose();
  parts.length = 0;
  return out;
}
