import * as tf from '@tensorflow/tfjs-core';

/**
 * USE Lite's input: every text's piece ids as one sparse batch (row, position) -> id, so texts need no padding.
 * Rows must be non-empty: the graph takes the batch size from the largest row index.
 */
export function sparseIds(ids: readonly number[][]): { indices: tf.Tensor2D; values: tf.Tensor1D } {
  const total = ids.reduce((s, r) => s + r.length, 0);
  const indices = new Int32Array(total * 2);
  const values = new Int32Array(total);
  let k = 0;
  ids.forEach((row, i) => {
    row.forEach((id, j) => {
      indices[2 * k] = i;
      indices[2 * k + 1] = j;
      values[k++] = id;
    });
  });
  return { indices: tf.tensor2d(indices, [total, 2], 'int32'), values: tf.tensor1d(values, 'int32') };
}
