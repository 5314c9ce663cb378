import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Dataset } from '../../data/dataset';
import { type NumericInput, toTensor } from '../../data/tensorize';
import { GraftError } from '../../errors/graft-error';
import { checkSample, type SampleSpec } from '../../model/feature-stage';
import { checkBatchSize } from '../../model/fit-options';
import { GraftNormalization } from './normalization-layer';

/** Running mean and sum of squared deviations per position, merged batch by batch (Chan et al.). */
interface Moments {
  n: number;
  mean: Float64Array;
  m2: Float64Array;
}

/** Chan's parallel update: the moments of a and b together, without a second pass over the data. */
function merge(a: Moments, nb: number, meanB: Float32Array, varB: Float32Array): Moments {
  const n = a.n + nb;
  for (let i = 0; i < a.mean.length; i++) {
    const delta = meanB[i] - a.mean[i];
    a.m2[i] += varB[i] * nb + (delta * delta * a.n * nb) / n;
    a.mean[i] += (delta * nb) / n;
  }
  return { n, mean: a.mean, m2: a.m2 };
}

/** One layer's mean and variance over what reaches it from `x`, in batches. */
async function layerMoments(net: tfl.LayersModel, layer: GraftNormalization, x: tf.Tensor, batchSize: number) {
  const input = layer.input as tfl.SymbolicTensor;
  const prefix = tfl.model({ inputs: net.inputs, outputs: input });
  const shape = layer.statShape(input.shape);
  const kept = new Set(layer.keptAxes(input.shape.length).map((a) => a + 1));
  const axes = input.shape.map((_, i) => i).filter((i) => !kept.has(i));
  const width = shape.reduce((a, b) => a * b, 1);
  let m: Moments = { n: 0, mean: new Float64Array(width), m2: new Float64Array(width) };
  const n = x.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const [mean, variance, count] = tf.tidy(() => {
      const y = prefix.predict(tf.slice(x, start, Math.min(batchSize, n - start))) as tf.Tensor;
      const mo = tf.moments(y, axes);
      return [mo.mean, mo.variance, y.size / width] as const;
    });
    m = merge(m, count, (await mean.data()) as Float32Array, (await variance.data()) as Float32Array);
    mean.dispose();
    variance.dispose();
  }
  return { shape, mean: m.mean, variance: m.m2.map((v) => v / m.n) };
}

/**
 * Keras `Normalization.adapt` for every normalization layer of `net`, in order: each gets the mean and (population)
 * variance of what reaches it from `x`, taken after the earlier layers' own statistics are set (as the data passes
 * them at predict time). A failure puts every layer's statistics back.
 */
export async function adaptNormalization(net: tfl.LayersModel, x: tf.Tensor, batchSize = 256): Promise<number> {
  const layers = net.layers.filter((l): l is GraftNormalization => l instanceof GraftNormalization);
  if (layers.length === 0)
    throw new GraftError('INVALID_LAYER', 'adapt needs a normalization layer: add .normalization() to the model');
  const before = layers.map((l) => l.getWeights().map((w) => w.clone()));
  const flags = layers.map((l) => l.adapted);
  try {
    for (const layer of layers) {
      const { shape, mean, variance } = await layerMoments(net, layer, x, batchSize);
      layer.write(tf.tensor(Float32Array.from(mean), shape), tf.tensor(Float32Array.from(variance), shape));
    }
  } catch (e) {
    for (const [i, l] of layers.entries()) l.restore(before[i], flags[i]);
    throw e;
  } finally {
    for (const ws of before) for (const w of ws) w.dispose();
  }
  return layers.length;
}

/** What `adapt` reads: a Dataset's samples, a tensor or nested arrays, as a batch the model takes. */
export async function adaptModel(
  net: tfl.LayersModel,
  data: Dataset | NumericInput,
  stage: SampleSpec,
  options: { batchSize?: number } = {},
): Promise<void> {
  if (options.batchSize !== undefined) checkBatchSize(options.batchSize);
  if (data instanceof Dataset && data.isDisposed)
    throw new GraftError('INVALID_DATA', 'adapt was given a disposed Dataset');
  const x = data instanceof Dataset ? data.x : toTensor(data, 'x');
  try {
    if (x.shape[0] === 0) throw new GraftError('EMPTY_DATA', 'expected adapt data with at least one sample, got 0');
    checkSample(stage, x.shape.slice(1), 'x');
    await adaptNormalization(net, x, options.batchSize);
  } finally {
    if (x !== (data as Dataset).x) x.dispose();
  }
}
