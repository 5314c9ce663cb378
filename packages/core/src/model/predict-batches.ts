import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hostValues } from '../training/batches';

/**
 * Inference in batches. On cpu and wasm the input is read to host memory once and each batch is made from
 * a subarray: tfjs-layers' predict slices the input per batch, and wasm's Slice copies the whole source each
 * time. Elsewhere (webgpu, or inputs past the host-copy bound) tfjs-layers' own batching keeps the data on the device.
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
