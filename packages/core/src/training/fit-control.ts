import type { StopReason } from './callbacks';

/**
 * The running fit as callbacks see it: setting `stopTraining` ends training after the current batch (the epoch's
 * logs are still taken and its `onEpochEnd` runs), as Keras' `model.stop_training`.
 */
export class FitControl {
  private reason: StopReason | null = null;

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
}
