import {
  checkHeadOptions,
  checkUnits,
  describe,
  GraftError,
  type HeadOptions,
  type HeadSpec,
  outputLayerOf,
} from '@graftjs/core/adapter';
import type * as tfl from '@tensorflow/tfjs-layers';
import { L2Normalize } from './l2-normalize';
import { tripletLoss } from './triplet-loss';

/**
 * One of two classes: one sigmoid unit, binary cross-entropy, accuracy at 0.5 (Keras `Dense(1,
 * activation='sigmoid')`). Labels are 0/1 or two class names; predictions `{ label, probability, positive }` give
 * P(positive), the second class name in the model's order (sorted names, or the `classNames` given).
 */
export function binary(options: HeadOptions = {}): HeadSpec<'binary'> {
  checkHeadOptions(options);
  return {
    kind: 'binary',
    units: 1,
    activation: 'sigmoid',
    hidden: options.hidden,
    dropout: options.dropout,
    ...outputLayerOf(options),
    task: 'binary',
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  };
}

/** Any number of labels per sample: sigmoid per label, binary cross-entropy on multi-hot rows. */
export function multiLabel(labels: number, options: HeadOptions = {}): HeadSpec<'multiLabel'> {
  checkUnits(labels, 'the number of labels');
  checkHeadOptions(options);
  return {
    kind: 'multiLabel',
    units: labels,
    activation: 'sigmoid',
    ...options,
    task: 'multiLabel',
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  };
}

/** Real-valued targets: linear output, mean squared error, mean absolute error as the metric. */
export function regression(outputs = 1, options: HeadOptions = {}): HeadSpec<'regression'> {
  checkUnits(outputs, 'the number of outputs');
  checkHeadOptions(options);
  return {
    kind: 'regression',
    units: outputs,
    activation: 'linear',
    ...options,
    task: 'regression',
    loss: 'meanSquaredError',
    metrics: ['mae'],
  };
}

export interface EmbeddingOptions extends HeadOptions {
  /** Triplet margin between same-class and other-class squared distances (default 0.2). */
  margin?: number;
}

/**
 * An L2-normalised embedding of `dims` values, trained from class labels with a batch-hard triplet loss:
 * same-class samples end up close, other classes far (for similarity search and few-shot matching).
 */
export function embedding(dims: number, options: EmbeddingOptions = {}): HeadSpec<'embedding'> {
  checkUnits(dims, 'embedding dims');
  checkHeadOptions(options);
  const margin = options.margin ?? 0.2;
  if (!(typeof margin === 'number' && margin > 0 && margin < 4))
    throw new GraftError('INVALID_HEAD', `expected margin in (0, 4), got ${describe(margin)}`);
  return {
    kind: 'embedding',
    units: dims,
    activation: 'linear',
    hidden: options.hidden,
    dropout: options.dropout,
    ...outputLayerOf(options),
    task: 'embedding',
    loss: { name: 'tripletLoss', fn: tripletLoss(margin) },
    metrics: [],
    finish: (x: tfl.SymbolicTensor) => new L2Normalize({ name: 'head_l2_normalize' }).apply(x) as tfl.SymbolicTensor,
  };
}
