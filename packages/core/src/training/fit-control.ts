import type * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';
import type { StopReason } from './callbacks';
import { learningRateOf, setLearningRateOf } from './learning-rate';

/**
 * The running fit as callbacks see it: setting `stopTraining` ends training after the current batch (the epoch's
 * logs are still taken and its `onEpochEnd` runs), as Keras' `model.stop_training`; `learningRate` reads and sets
 * the optimizer's rate from the next step on (Keras `model.optimizer.learning_rate`), for schedules.
 */
export class FitControl {
  private reason: StopReason | null = null;

  constructor(private readonly optimizer: tf.Optimizer | null = null) {}

  get stopTraining(): boolean {
    return this.reason !== null;
  }

  set stopTraining(stop: boolean) {
    this.reason = stop ? (this.reason ?? 'stopTraining') : null;
  }

  /** Stops with a named reason (EarlyStopping says 'earlyStopping'); the first reason given is kept. */
  stop(reason: StopReason): void {
    this.reason ??= reason;
  }

  get stopReason(): StopReason | null {
    return this.reason;
  }

  /** The learning rate of the next step (NaN outside a fit). */
  get learningRate(): number {
    return this.optimizer ? learningRateOf(this.optimizer) : Number.NaN;
  }

  set learningRate(rate: number) {
    if (!(typeof rate === 'number' && rate > 0 && Number.isFinite(rate)))
      throw new GraftError(
        'INVALID_OPTION',
        `expected learningRate as a positive finite number, got ${describe(rate)}`,
      );
    if (this.optimizer) setLearningRateOf(this.optimizer, rate);
  }
}
