import * as tf from '@tensorflow/tfjs-core';
import { backends } from '../backends/registry';

/** Largest input (x and y) copied out of host memory for host batching; a 'shared' backend needs no copy.
 * On host-memory backends a JS copy of a batch costs microseconds, while their GatherV2 kernels walk element by
 * element (milliseconds per 64x784 batch) and a Slice may copy the whole source tensor on every call. */
const MAX_HOST_COPY_BYTES = 256 * 2 ** 20;

/**
 * The tensors' values in host memory when batching there pays (a 'shared' backend, or a 'copied' one within the
 * copy bound, unless `upTo` is 'shared'), else null:
 * one rule for training, evaluation and prediction batches.
 */
export function hostValues(tensors: tf.Tensor[], upTo: 'shared' | 'copied' = 'copied'): Float32Array[] | null {
  const memory = backends.running()?.hostMemory ?? 'device';
  const bytes = tensors.reduce((a, t) => a + t.size * 4, 0);
  const host =
    memory !== 'device' &&
    tensors.every((t) => t.dtype === 'float32') &&
    (memory === 'shared' || (upTo === 'copied' && bytes <= MAX_HOST_COPY_BYTES));
  return host ? tensors.map((t) => t.dataSync() as Float32Array) : null;
}

/** Makes (x, y) batches from row indices; call inside a tidy. */
export interface BatchSource {
  take(rows: Int32Array): { xb: tf.Tensor; yb: tf.Tensor };
}

function rowsOf(values: Float32Array, shape: number[], rows: Int32Array): tf.Tensor {
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows.length * width);
  if (width === 1) {
    for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  } else {
    for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  }
  return tf.tensor(out, [rows.length, ...shape.slice(1)], 'float32');
}

/**
 * Host batching on host-memory backends (rows copied from the values the backend already holds in host memory), device
 * gather elsewhere (a device-memory backend keeps data on the GPU, where gather is cheap and a download is not). Both give
 * the same batches, so seeded runs do not depend on the path taken.
 */
export function batchSource(x: tf.Tensor, y: tf.Tensor): BatchSource {
  const values = hostValues([x, y]);
  if (values) {
    const [xv, yv] = values;
    return { take: (rows) => ({ xb: rowsOf(xv, x.shape, rows), yb: rowsOf(yv, y.shape, rows) }) };
  }
  return {
    take: (rows) => {
      const idx = tf.tensor1d(rows, 'int32');
      return { xb: tf.gather(x, idx), yb: tf.gather(y, idx) };
    },
  };
}

/** 0..n-1, the order of unshuffled and evaluation batches. */
export function identityOrder(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
