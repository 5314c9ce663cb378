import * as tf from '@tensorflow/tfjs-core';

/**
 * How a classifier's output becomes decisions: 'binary' (sigmoid units, each value a yes/no at 0.5, or logit 0)
 * or 'multiClass' (softmax rows, the decision is the argmax).
 */
export type DecisionKind = 'binary' | 'multiClass';

/** Keras' AUC default: 200 thresholds, the ends just outside [0, 1] so every score falls between two. */
export const AUC_THRESHOLDS = 200;
const EPSILON = 1e-7;

function thresholds(): tf.Tensor {
  const t = Array.from({ length: AUC_THRESHOLDS - 2 }, (_, i) => (i + 1) / (AUC_THRESHOLDS - 1));
  return tf.tensor1d([-EPSILON, ...t, 1 + EPSILON]);
}

/** Labels as rows of 0/1 the shape of the output: one-hot for class indices, as given otherwise. */
function labelRows(yTrue: tf.Tensor, yPred: tf.Tensor, kind: DecisionKind, sparse: boolean): tf.Tensor {
  if (kind === 'multiClass' && sparse) {
    return tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), yPred.shape[yPred.rank - 1] as number);
  }
  return tf.cast(tf.reshape(yTrue, yPred.shape), 'float32');
}

/** [tp, fp, tn, fn] from 0/1 label and decision tensors, summed over `axis` (all axes when undefined). */
function fourCounts(y: tf.Tensor, decided: tf.Tensor, total: number, axis?: number): tf.Tensor {
  const tp = tf.sum(tf.mul(y, decided), axis);
  const fp = tf.sub(tf.sum(decided, axis), tp);
  const fn = tf.sub(tf.sum(y, axis), tp);
  const tn = tf.sub(tf.sub(tf.sub(tf.scalar(total), tp), fp), fn);
  return tf.stack([tp, fp, tn, fn]);
}

/**
 * The batch's decision counts, flat [tp, fp, tn, fn] x k: k = 1 for binary outputs (every unit pooled, as Keras'
 * Precision on a multi-label output), one column per class (one-vs-rest) for multi-class outputs.
 */
export function decisionCounts(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  kind: DecisionKind,
  opts: { sparse: boolean; fromLogits: boolean },
): tf.Tensor {
  const y = labelRows(yTrue, yPred, kind, opts.sparse);
  if (kind === 'binary') {
    const decided = tf.cast(tf.greater(yPred, opts.fromLogits ? 0 : 0.5), 'float32');
    return fourCounts(y, decided, yPred.size);
  }
  const k = yPred.shape[yPred.rank - 1] as number;
  const rows = yPred.size / k;
  const decided = tf.oneHot(tf.argMax(tf.reshape(yPred, [rows, k]), -1), k);
  const truth = tf.oneHot(tf.argMax(tf.reshape(y, [rows, k]), -1), k);
  return tf.reshape(fourCounts(truth, tf.cast(decided, 'float32'), rows, 0), [-1]);
}

/**
 * The batch's counts at each of the AUC thresholds, flat [tp, fp, tn, fn] x AUC_THRESHOLDS: a score counts as
 * positive above a threshold, as in Keras. Multi-class outputs are scored one-vs-rest, every (sample, class)
 * pair pooled (Keras' AUC with multi_label=False).
 */
export function thresholdCounts(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  kind: DecisionKind,
  opts: { sparse: boolean; fromLogits: boolean },
): tf.Tensor {
  const y = tf.reshape(labelRows(yTrue, yPred, kind, opts.sparse), [1, -1]);
  const probabilities = !opts.fromLogits ? yPred : kind === 'binary' ? tf.sigmoid(yPred) : tf.softmax(yPred);
  const scores = tf.reshape(probabilities, [1, -1]);
  const above = tf.cast(tf.greater(scores, tf.reshape(thresholds(), [-1, 1])), 'float32');
  return tf.reshape(fourCounts(y, above, yPred.size, 1), [-1]);
}
