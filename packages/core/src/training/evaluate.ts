import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LossFn } from '../model/losses';
import { Accumulator } from './accumulator';
import { batchSource, identityOrder } from './batches';

export interface NamedMetric {
  name: string;
  fn: LossFn;
}

/** Runs `net` over (x, y) in batches without training: mean loss and metrics. */
export async function evaluateTensors(
  net: LayersModel,
  loss: LossFn,
  metrics: NamedMetric[],
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
): Promise<number[]> {
  const acc = new Accumulator();
  const n = x.shape[0];
  const source = batchSource(x, y);
  const order = identityOrder(n);
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      tf.tidy(() => {
        const { xb, yb } = source.take(order.subarray(start, start + size));
        const pred = net.apply(xb, { training: false }) as tf.Tensor;
        acc.add([loss(yb, pred), ...metrics.map((m) => m.fn(yb, pred))], size);
      });
    }
    const { means } = await acc.read();
    return Array.from(means);
  } finally {
    acc.clear();
  }
}
