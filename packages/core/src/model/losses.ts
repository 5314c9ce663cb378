import * as tf from '@tensorflow/tfjs-core';

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

function categorical(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return tf.neg(tf.mean(tf.sum(tf.mul(yTrue, tf.log(p)), -1)));
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

export type MetricName = 'accuracy' | 'mse' | 'mae';
export const METRIC_NAMES: MetricName[] = ['accuracy', 'mse', 'mae'];

/** Metric kernels given the loss in use (accuracy means different things per loss, as in Keras). */
export function metricFn(name: MetricName, loss: LossName): LossFn {
  switch (name) {
    case 'accuracy':
      if (loss === 'sparseCategoricalCrossentropy') {
        return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.cast(tf.reshape(y, [-1]), 'int32')), 'float32'));
      }
      if (loss === 'categoricalCrossentropy') {
        return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32'));
      }
      return (y, p) =>
        tf.mean(tf.cast(tf.equal(tf.reshape(y, p.shape), tf.cast(tf.greater(p, 0.5), 'float32')), 'float32'));
    case 'mse':
      return LOSSES.meanSquaredError;
    case 'mae':
      return LOSSES.meanAbsoluteError;
  }
}
