import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import type { LossFn, LossName } from './losses';

const CROSS_ENTROPIES: LossName[] = ['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'];

export function isCrossEntropy(loss: string | undefined): boolean {
  return CROSS_ENTROPIES.includes(loss as LossName);
}

/**
 * Whether the network's output is logits (Keras `from_logits`). Given, it is checked against the last layer; not
 * given, a linear last layer with a cross-entropy loss means logits: Keras' `Dense(n)` + `from_logits=True`, the
 * program a Keras user ports. Softmax or sigmoid outputs are probabilities.
 */
export function resolveFromLogits(activation: string, loss: LossName, explicit: boolean | undefined): boolean {
  if (!isCrossEntropy(loss)) {
    if (explicit) {
      throw new GraftError(
        'INCOMPATIBLE_LOSS',
        `fromLogits applies to the cross-entropy losses, got loss ${JSON.stringify(loss)}`,
      );
    }
    return false;
  }
  const squashed = activation === 'softmax' || activation === 'sigmoid';
  if (explicit === true && squashed) {
    throw new GraftError(
      'INCOMPATIBLE_LOSS',
      `fromLogits: true expects a linear last layer, got a ${activation} output (already probabilities); drop fromLogits or the ${activation}`,
    );
  }
  if (explicit === false && activation === 'linear') {
    throw new GraftError(
      'INCOMPATIBLE_LOSS',
      `a linear last layer gives logits, not probabilities: ${loss} with fromLogits: false would treat them as probabilities; drop fromLogits: false or end with a sigmoid/softmax activation`,
    );
  }
  return explicit ?? activation === 'linear';
}

/** Binary cross-entropy on logits, the stable form: max(x, 0) - x * y + log(1 + exp(-|x|)). */
function binaryFromLogits(yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const y = tf.reshape(yTrue, logits.shape);
  const terms = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return tf.mean(terms);
}

function categoricalFromLogits(yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const rows = logits.size / (logits.shape[logits.rank - 1] as number);
  return tf.div(tf.sum(tf.mul(yTrue, tf.logSoftmax(logits))), -rows);
}

/** The cross-entropies on logits. */
export const LOGITS_LOSSES: Record<string, LossFn> = {
  binaryCrossentropy: binaryFromLogits,
  categoricalCrossentropy: categoricalFromLogits,
  sparseCategoricalCrossentropy: (yTrue, logits) => {
    const depth = logits.shape[logits.rank - 1] as number;
    return categoricalFromLogits(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), depth), logits);
  },
};

/** Probabilities from logit rows (a copy): sigmoid per value (binary, multi-label), softmax per row otherwise. */
export function squash(logits: Float32Array, width: number, perValue: boolean): Float32Array {
  const rows = Float32Array.from(logits);
  if (perValue) {
    for (let i = 0; i < rows.length; i++) rows[i] = 1 / (1 + Math.exp(-rows[i]));
    return rows;
  }
  for (let r = 0; r < rows.length; r += width) {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = r; i < r + width; i++) max = Math.max(max, rows[i]);
    let sum = 0;
    for (let i = r; i < r + width; i++) {
      rows[i] = Math.exp(rows[i] - max);
      sum += rows[i];
    }
    for (let i = r; i < r + width; i++) rows[i] /= sum;
  }
  return rows;
}

/** Whether predict must turn the output into probabilities: the objective says logits, or implies them. */
export function outputIsLogits(o: { fromLogits?: boolean; loss?: string }, activation: string): boolean {
  return o.fromLogits ?? (activation === 'linear' && isCrossEntropy(o.loss));
}
