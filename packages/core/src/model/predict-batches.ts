import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hostValues } from '../training/batches';
import { foldedApply, inferencePlanStatus } from './inference-plan/folded-inference';

/** One batch through the network in inference mode: BatchNormalization folded into its conv where it can be. */
function inferBatch(net: LayersModel, xb: tf.Tensor): tf.Tensor {
  return foldedApply(net, xb) ?? (net.apply(xb, { training: false }) as tf.Tensor);
}

/** Batches sliced on the device, each run folded (the plan's alternative to tfjs-layers' own predict loop). */
function foldedOnDevice(net: LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => inferBatch(net, size === n ? x : tf.slice(x, start, size))));
    }
    return parts.length === 1 ? (parts.pop() as tf.Tensor) : tf.concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}

/**
 * Inference in batches. On backends that keep tensors in host memory the input is read there once and each batch
 * is made from a subarray: tfjs-layers' predict slices the input per batch, and a host Slice kernel may copy the
 * whole source each time. Elsewhere (device memory, or inputs past the host-copy bound) batches are sliced on the
 * device. A model whose convs fold (inference-plan/) runs folded; any other through tfjs-layers' own predict.
 */
export function predictInBatches(net: LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor {
  const n = x.shape[0];
  const values = n > batchSize ? hostValues([x])?.[0] : undefined;
  if (!values) {
    const folds = n > 0 && x.dtype === 'float32' && 'folded' in inferencePlanStatus(net);
    return folds ? foldedOnDevice(net, x, batchSize) : (net.predict(x, { batchSize }) as tf.Tensor);
  }
  const sample = x.shape.slice(1);
  const width = sample.reduce((a, b) => a * b, 1);
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(
        tf.tidy(() => {
          const xb = tf.tensor(values.subarray(start * width, (start + size) * width), [size, ...sample], 'float32');
          return inferBatch(net, xb);
        }),
      );
    }
    return tf.concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}
