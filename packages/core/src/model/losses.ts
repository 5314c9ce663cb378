import * as tf from '@tensorflow/tfjs-core';
import { COUNT_METRIC_NAMES, type CountMetricName } from '../training/metrics/names';

/** Keras' epsilon for clipping probabilities before the log. */
const EPSILON = 1e-7;

export type LossName =
  | 'sparseCategoricalCrossentropy'
  | 'categoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

export const LOSS_NAMES: LossName[] = [
  'sparseCategoricalCrossentropy',
  'categoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
];

/** (labels, predictions) -> scalar mean loss over the batch. Labels arrive as float32. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Keras' categorical cross-entropy, -mean(sum(yTrue * log(clip(q)))) with q = yPred / sum(yPred), and its
 * gradient written out by hand: autodiff through the normalisation, clip, log, mul, sum, mean and neg costs
 * ~20 small kernels per batch, which on host-memory backends cost more than the arithmetic. With g = yTrue / clip(q)
 * where q is not clipped (0 where it is, as tf.clipByValue's gradient), dL/dyPred = -(g - sum(g * q)) / sum(yPred) / rows.
 */
function categorical(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const rows = yPred.size / (yPred.shape[yPred.rank - 1] as number);
  const labels = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
  return tf.customGrad((pred, save) => {
    const s = tf.sum(pred as tf.Tensor, -1, true);
    const q = tf.div(pred as tf.Tensor, s);
    const p = tf.clipByValue(q, EPSILON, 1 - EPSILON);
    // Saved, not closed over: tensors made in the caller's gradient scope are gone by the backward pass.
    (save as tf.GradSaveFunc)([labels, s, q, p]);
    return {
      value: tf.div(tf.sum(tf.mul(labels, tf.log(p))), -rows),
      gradFunc: (dy: tf.Tensor, [t, sums, unclipped, clipped]: tf.Tensor[]) => {
        const g = tf.mul(tf.div(t, clipped), tf.cast(tf.equal(clipped, unclipped), 'float32'));
        const dq = tf.div(tf.sub(g, tf.sum(tf.mul(g, unclipped), -1, true)), sums);
        return tf.mul(dq, tf.div(dy, -rows));
      },
    };
  })(yPred);
}

export const LOSSES: Record<LossName, LossFn> = {
  sparseCategoricalCrossentropy: (yTrue, yPred) => {
    const depth = yPred.shape[yPred.rank - 1];
    const oh = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), depth as number);
    return categorical(oh, yPred);
  },
  categoricalCrossentropy: categorical,
  binaryCrossentropy: (yTrue, yPred) => {
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    const y = tf.reshape(yTrue, p.shape);
    const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll));
  },
  meanSquaredError: (yTrue, yPred) => tf.mean(tf.square(tf.sub(tf.reshape(yTrue, yPred.shape), yPred))),
  meanAbsoluteError: (yTrue, yPred) => tf.mean(tf.abs(tf.sub(tf.reshape(yTrue, yPred.shape), yPred))),
};

/** Metrics that are a mean over batches; the count metrics (training/metrics) are summed instead. */
export type MeanMetricName = 'accuracy' | 'mse' | 'mae';
export type MetricName = MeanMetricName | CountMetricName;
export const METRIC_NAMES: MetricName[] = ['accuracy', 'mse', 'mae', ...COUNT_METRIC_NAMES];

/** Metric kernels given the loss in use (accuracy means different things per loss, as in Keras). */
export function metricFn(name: MeanMetricName, loss: LossName, fromLogits = false): LossFn {
  switch (name) {
    case 'accuracy':
      if (loss === 'sparseCategoricalCrossentropy') {
        return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.cast(tf.reshape(y, [-1]), 'int32')), 'float32'));
      }
      if (loss === 'categoricalCrossentropy') {
        return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32'));
      }
      // a probability above 0.5 is a logit above 0
      return (y, p) =>
        tf.mean(
          tf.cast(tf.equal(tf.reshape(y, p.shape), tf.cast(tf.greater(p, fromLogits ? 0 : 0.5), 'float32')), 'float32'),
        );
    case 'mse':
      return LOSSES.meanSquaredError;
    case 'mae':
      return LOSSES.meanAbsoluteError;
  }
}
