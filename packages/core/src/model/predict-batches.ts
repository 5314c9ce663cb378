import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { hostValues } from '../training/batches';
import { plannedApply, runsPlanned } from './inference-plan/folded-inference';

/** How planned batches are cut from the input: sliced on the device, or copied from its host values. */
export type BatchCut = 'device' | 'host' | 'auto';
let cut: BatchCut = 'auto';

/** @internal For benches: force how planned inference cuts its batches ('auto' picks per backend). */
export function setPlannedBatchCut(how: BatchCut): void {
  cut = how;
}

/** Each batch of `x` through `make` (called inside a tidy per batch), the outputs joined along the batch axis. */
function joined(n: number, batchSize: number, make: (start: number, size: number) => tf.Tensor): tf.Tensor {
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => make(start, size)));
    }
    return parts.length === 1 ? (parts.pop() as tf.Tensor) : tf.concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}

/** A batch of rows [start, start + size) of a tensor whose values are `values`, as a new tensor. */
function hostBatch(x: tf.Tensor, values: Float32Array, start: number, size: number): tf.Tensor {
  const width = x.size / x.shape[0];
  return tf.tensor(values.subarray(start * width, (start + size) * width), [size, ...x.shape.slice(1)], 'float32');
}

/** The plan's batches: cut from host values where the backend shares its memory with JS, sliced on the device else. */
function plannedInBatches(net: LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor {
  const n = x.shape[0];
  const host = n > batchSize && cut !== 'device' ? hostValues([x], cut === 'host' ? 'copied' : 'shared') : null;
  const values = host?.[0];
  return joined(n, batchSize, (start, size) => {
    const xb = values ? hostBatch(x, values, start, size) : size === n ? x : tf.slice(x, start, size);
    return plannedApply(net, xb) as tf.Tensor;
  });
}

/**
 * Inference in batches. A model with an inference plan (inference-plan/: BatchNormalization folded into convs,
 * layers called without tfjs-layers' per-layer overhead) runs it per batch. Otherwise, on backends that keep
 * tensors in host memory the input is read there once and each batch is made from a subarray (tfjs-layers' predict
 * slices the input per batch, and a host Slice kernel may copy the whole source each time); elsewhere tfjs-layers'
 * own predict runs.
 */
export function predictInBatches(net: LayersModel, x: tf.Tensor, batchSize: number): tf.Tensor {
  const n = x.shape[0];
  if (n > 0 && runsPlanned(net, x)) return plannedInBatches(net, x, batchSize);
  const values = n > batchSize ? hostValues([x])?.[0] : undefined;
  if (!values) return net.predict(x, { batchSize }) as tf.Tensor;
  return joined(
    n,
    batchSize,
    (start, size) => net.apply(hostBatch(x, values, start, size), { training: false }) as tf.Tensor,
  );
}
