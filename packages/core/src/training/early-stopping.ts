import { GraftError } from '../errors/graft-error';
import type { EarlyStoppingOptions, Logs } from './callbacks';

/** Tracks the monitored value across epochs, Keras' EarlyStopping rules. */
export class EarlyStopper {
  readonly monitor: string;
  readonly restoreBestWeights: boolean;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  bestEpoch = -1;

  constructor(options: EarlyStoppingOptions, hasValidation: boolean) {
    this.monitor = options.monitor ?? (hasValidation ? 'valLoss' : 'loss');
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected earlyStopping.patience as a non-negative integer, got ${options.patience}`,
      );
    }
    if (this.monitor.startsWith('val') && !hasValidation) {
      throw new GraftError(
        'INVALID_OPTION',
        `earlyStopping monitors "${this.monitor}" but the fit has no validation data: pass validationSplit or validationData, or monitor "loss"`,
      );
    }
    const mode = options.mode ?? 'auto';
    const maximise = mode === 'max' || (mode === 'auto' && /acc/i.test(this.monitor));
    this.sign = maximise ? -1 : 1;
  }

  /** Returns whether this epoch improved, and whether training should stop. */
  update(epoch: number, logs: Logs): { improved: boolean; stop: boolean } {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new GraftError(
        'INVALID_OPTION',
        `earlyStopping monitors "${this.monitor}", which is not among [${Object.keys(logs).join(', ')}]`,
      );
    }
    const v = this.sign * value;
    if (v < this.best - this.minDelta) {
      this.best = v;
      this.wait = 0;
      this.bestEpoch = epoch;
      return { improved: true, stop: false };
    }
    this.wait++;
    return { improved: false, stop: this.wait >= Math.max(this.patience, 1) };
  }
}
