import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LossFn } from '../model/losses';
import { Accumulator, type EpochValues } from './accumulator';
import { batchSource, identityOrder } from './batches';

/**
 * A metric by its history name. Without `result`, `fn` gives the batch's mean and the epoch value is the
 * size-weighted mean of those. With `result` (a stateful metric, as Keras' Precision or AUC), `fn` gives a vector
 * of counts, summed over the epoch's batches, and `result` turns the sums into the value: a precision over the
 * whole epoch, not a mean of per-batch precisions.
 */
export interface NamedMetric {
  name: string;
  fn: LossFn;
  result?: (sums: Float64Array) => number;
}

/** The loss, then each metric's value, from one epoch's (or evaluation's) accumulated values. */
export function metricValues(metrics: NamedMetric[], values: EpochValues): number[] {
  return [values.means[0], ...metrics.map((m, i) => (m.result ? m.result(values.sums[i + 1]) : values.means[i + 1]))];
}

/** Runs `net` over (x, y) in batches without training: the loss and each metric's accumulated values. */
export async function evaluateSums(
  net: LayersModel,
  loss: LossFn,
  metrics: NamedMetric[],
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
): Promise<EpochValues> {
  const acc = new Accumulator();
  try {
    addEvaluation(acc, { net, loss, metrics, batchSize }, x, y);
    return await acc.read();
  } finally {
    acc.clear();
  }
}

/** The loss and metrics over all of (x, y), by batches without training. */
export async function evaluateTensors(...args: Parameters<typeof evaluateSums>): Promise<number[]> {
  return metricValues(args[2], await evaluateSums(...args));
}

/** What one evaluation runs: the network, its loss and metrics, and the batch size. */
export interface EvaluationSpec {
  net: LayersModel;
  loss: LossFn;
  metrics: NamedMetric[];
  batchSize: number;
}

/** Adds the loss and metrics of `net` over (x, y), batch by batch, to `acc` (read once all parts are in). */
export function addEvaluation(acc: Accumulator, spec: EvaluationSpec, x: tf.Tensor, y: tf.Tensor): void {
  const { net, loss, metrics, batchSize } = spec;
  const n = x.shape[0];
  const source = batchSource(x, y);
  const order = identityOrder(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    tf.tidy(() => {
      const { xb, yb } = source.take(order.subarray(start, start + size));
      const pred = net.apply(xb, { training: false }) as tf.Tensor;
      acc.add([loss(yb, pred), ...metrics.map((m) => m.fn(yb, pred))], size);
    });
  }
}
