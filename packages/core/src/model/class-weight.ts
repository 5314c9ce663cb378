import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import type { ClassWeight } from './class-weight-option';
import { LOGITS_LOSSES } from './logits';
import { LOSSES, type LossFn, type LossName } from './losses';

export type { ClassWeight } from './class-weight-option';

/** Class count (2 for a one-unit sigmoid), or a coded error where class weights mean nothing. */
function classCount(loss: LossName | null, units: number): number {
  if (loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy') return units;
  if (loss === 'binaryCrossentropy' && units === 1) return 2;
  throw new GraftError(
    'INVALID_OPTION',
    `classWeight needs single-label classification (a softmax, or a one-unit sigmoid), got ${loss === null ? 'a custom loss' : `loss ${JSON.stringify(loss)} with ${units} output unit(s)`}`,
  );
}

function classIndex(key: string, k: number, classNames?: string[]): number {
  const named = classNames?.indexOf(key) ?? -1;
  if (named >= 0) return named;
  if (!/^\d+$/.test(key)) {
    const known = classNames ? `[${classNames.join(', ')}]` : 'none (give classNames, or use indices)';
    throw new GraftError(
      'UNKNOWN_CLASS',
      `expected classWeight keys among the class names ${known}, got ${JSON.stringify(key)}`,
      { classNames, label: key },
    );
  }
  if (Number(key) >= k) {
    throw new GraftError(
      'LABEL_OUT_OF_RANGE',
      `expected classWeight class indices in 0..${k - 1} (${k} classes), got ${JSON.stringify(key)}`,
    );
  }
  return Number(key);
}

/** Each training label's class: the index, the 0/1 value, or the row's argmax. */
async function labelClasses(y: tf.Tensor): Promise<Int32Array> {
  const idx = tf.tidy(() =>
    y.rank === 2 && y.shape[1] !== 1 ? tf.argMax(y, -1) : tf.cast(tf.reshape(y, [-1]), 'int32'),
  );
  const out = (await idx.data()) as Int32Array;
  idx.dispose();
  return out;
}

/** The weight of every class, from the option and (for 'balanced') the training labels. */
export async function classWeights(cw: ClassWeight, k: number, y: tf.Tensor, classNames?: string[]): Promise<number[]> {
  if (cw !== 'balanced') {
    const w = new Array<number>(k).fill(1);
    for (const [key, v] of Object.entries(cw)) w[classIndex(key, k, classNames)] = v;
    return w;
  }
  const classes = await labelClasses(y);
  const counts = new Array<number>(k).fill(0);
  for (const c of classes) counts[c]++;
  // a class with no training samples never weighs a loss term: 1 keeps the vector finite
  return counts.map((c) => (c === 0 ? 1 : classes.length / (k * c)));
}

/** Binary cross-entropy with a weight per sample: mean(s * l), as Keras' sum-over-batch-size reduction. */
function weightedBinary(w: number[], fromLogits: boolean): LossFn {
  return (yTrue, yPred) => {
    const y = tf.reshape(yTrue, yPred.shape);
    const s = tf.add(tf.mul(y, w[1]), tf.mul(tf.sub(1, y), w[0]));
    const terms = fromLogits
      ? tf.add(tf.sub(tf.relu(yPred), tf.mul(yPred, y)), tf.log1p(tf.exp(tf.neg(tf.abs(yPred)))))
      : tf.neg(tf.add(tf.mul(y, tf.log(clip(yPred))), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clip(yPred))))));
    return tf.mean(tf.mul(s, terms));
  };
}

const clip = (p: tf.Tensor) => tf.clipByValue(p, 1e-7, 1 - 1e-7);

/**
 * The categorical cross-entropies are linear in the label rows, so scaling each one-hot row by its class's weight
 * gives mean(w_c * l): graft's own loss (and its hand-written gradient) runs unchanged.
 */
function weightedCategorical(w: number[], sparse: boolean, fromLogits: boolean): LossFn {
  const base = fromLogits ? LOGITS_LOSSES.categoricalCrossentropy : LOSSES.categoricalCrossentropy;
  return (yTrue, yPred) => {
    const k = yPred.shape[yPred.rank - 1] as number;
    const rows = sparse ? tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), k) : tf.cast(yTrue, 'float32');
    const s = tf.gather(tf.tensor1d(w), tf.argMax(rows, -1));
    return base(tf.mul(rows, tf.reshape(s, [-1, 1])), yPred);
  };
}

/** The class-weighted training loss for this fit, if asked (validation and evaluate stay unweighted, as Keras). */
export async function classWeightedLoss(
  cw: ClassWeight | undefined,
  objective: { lossName: LossName | null; fromLogits: boolean },
  units: number,
  data: { train: { y: unknown }; classNames?: string[] },
): Promise<LossFn | undefined> {
  if (cw === undefined) return undefined;
  const k = classCount(objective.lossName, units);
  const weights = await classWeights(cw, k, data.train.y as tf.Tensor, data.classNames);
  if (objective.lossName === 'binaryCrossentropy') return weightedBinary(weights, objective.fromLogits);
  const sparse = objective.lossName === 'sparseCategoricalCrossentropy';
  return weightedCategorical(weights, sparse, objective.fromLogits);
}
