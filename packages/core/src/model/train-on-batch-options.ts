import type * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';

/** A loss of your own for one step: labels and the network's output in, a tensor out (averaged to a scalar). */
export type StepLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface TrainOnBatchOptions {
  /**
   * The loss this step minimises instead of the model's (what a Keras `train_step` override computes). It gets
   * the batch's labels as the model's loss does (class indices for a softmax head, 0/1 for a sigmoid one) and
   * the network's output; a non-scalar result is averaged. Regularisation losses of the layers are added.
   */
  loss?: StepLoss;
  /** Seeds the random layers (dropout) of this step, as a seeded fit does. */
  seed?: number;
}

/** The batch's loss and the model's metrics on it, computed on the output before the update (as Keras does). */
export type TrainOnBatchResult = { loss: number } & Record<string, number>;

/** Checks the options before anything runs. */
export function checkStepOptions(options: unknown): TrainOnBatchOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new GraftError('INVALID_OPTION', `expected trainOnBatch options as an object, got ${describe(options)}`);
  const known = ['loss', 'seed'];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new GraftError('INVALID_OPTION', `expected trainOnBatch options among loss, seed, got ${unknown.join(', ')}`);
  const { loss, seed } = options as TrainOnBatchOptions;
  if (loss !== undefined && typeof loss !== 'function')
    throw new GraftError(
      'INVALID_OPTION',
      `expected loss as a function (yTrue, yPred) => tensor, got ${describe(loss)}`,
    );
  if (seed !== undefined && !Number.isInteger(seed))
    throw new GraftError('INVALID_OPTION', `expected seed as an integer, got ${describe(seed)}`);
  return options as TrainOnBatchOptions;
}
