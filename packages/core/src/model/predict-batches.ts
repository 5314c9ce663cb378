import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hostValues } from '../training/batches';

/**
 * Inference in batches. On backends that keep tensors in host memory the input is read there once and each batch
 * is made from a subarray: tfjs-layers' predict slices the input per batch, and a host Slice kernel may copy the
 * whole source each time. Elsewhere (device memory, or inputs past the host-copy bound) tfjs-layers' own batching
 * keeps the data on the device.
 */
export function predictInBatches(net: LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor {
  const n = x.shape[0];
  const values = n > batchSize ? hostValues([x])?.[0] : undefined;
  if (!values) return net.predict(x, { batchSize }) as tf.Tensor;
  const sample = x.shape.slice(1);
  const width = sample.reduce((a, b) => a * b, 1);
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(
        tf.tidy(() => {
          const xb = tf.tensor(values.subarray(start * width, (start + size) * width), [size, ...sample], 'float32');
          return net.apply(xb, { training: false }) as tf.Tensor;
        }),
      );
    }
    return tf.concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}
