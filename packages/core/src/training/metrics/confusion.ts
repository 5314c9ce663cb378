import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../../errors/graft-error';
import type { LossName } from '../../model/losses';
import type { NamedMetric } from '../evaluate';
import { renderConfusion } from './confusion-text';

/** One class's row of the report. */
export interface ClassReport {
  name: string;
  /** Samples of this class (the row's sum). */
  support: number;
  /** Samples predicted as this class (the column's sum). */
  predicted: number;
  /** Correct among this class's samples: the diagonal over the row (the same value as recall). */
  accuracy: number;
  /** Correct among the samples predicted as this class; 0 where none was (sklearn's zero_division=0). */
  precision: number;
  recall: number;
  f1: number;
}

/** sklearn's layout: `matrix[t][p]` counts samples of true class t predicted as class p. */
export interface ConfusionMatrix {
  classNames: string[];
  matrix: number[][];
  total: number;
  accuracy: number;
  perClass: ClassReport[];
  /** The matrix as a text table, rows true classes, with precision, recall, F1 and support per class. */
  toString(): string;
}

/**
 * The counts metric behind `confusionMatrix()`: per batch the k x k (true, predicted) counts, flat, summed over
 * batches. Predicted is the argmax of a softmax, or above 0.5 (logit 0) for a one-unit sigmoid (classes 0, 1).
 */
export function confusionCounts(
  loss: LossName | null,
  fromLogits: boolean,
  units: number,
): NamedMetric & { k: number } {
  const single = loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy';
  if (!single && !(loss === 'binaryCrossentropy' && units === 1)) {
    throw new GraftError(
      'INVALID_OPTION',
      `confusionMatrix needs single-label classification (a softmax, or a one-unit sigmoid), got ${loss === null ? 'a custom loss' : `loss ${JSON.stringify(loss)} with ${units} output unit(s)`}`,
    );
  }
  const k = single ? units : 2;
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor) => {
    const rows = yPred.shape[0] as number;
    const truth =
      loss === 'categoricalCrossentropy' ? tf.argMax(yTrue, -1) : tf.cast(tf.reshape(yTrue, [rows]), 'int32');
    const predicted = single
      ? tf.argMax(yPred, -1)
      : tf.cast(tf.reshape(tf.greater(yPred, fromLogits ? 0 : 0.5), [rows]), 'int32');
    const hot = (c: tf.Tensor) => tf.cast(tf.oneHot(tf.cast(c, 'int32'), k), 'float32');
    const counts = tf.matMul(hot(truth), hot(predicted), true, false);
    return tf.reshape(counts, [-1]);
  };
  return { name: 'confusion', fn, result: () => Number.NaN, k };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** The report from the summed counts. */
export function confusionReport(sums: Float64Array, classNames: string[]): ConfusionMatrix {
  const k = classNames.length;
  const matrix = Array.from({ length: k }, (_, t) => Array.from(sums.subarray(t * k, t * k + k)));
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const perClass = classNames.map((name, c) => {
    const support = matrix[c].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((s, row) => s + row[c], 0);
    const precision = ratio(matrix[c][c], predicted);
    const recall = ratio(matrix[c][c], support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { name, support, predicted, accuracy: recall, precision, recall, f1 };
  });
  const correct = matrix.reduce((s, row, i) => s + row[i], 0);
  const report = { classNames: [...classNames], matrix, total, accuracy: ratio(correct, total), perClass };
  return { ...report, toString: () => renderConfusion(report) };
}
