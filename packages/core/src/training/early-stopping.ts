import type * as tfl from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';
import { Callback } from './callback';
import type { EarlyStoppingOptions, Logs, TrainEndLogs } from './callbacks';
import { disposeSnapshot, restoreWeights, snapshotWeights, type WeightSnapshot } from './weights';

/** Keras' EarlyStopping: stops when the monitored value stops improving; optionally restores the best weights. */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly restoreBestWeights: boolean;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: 1 | -1;
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  private bestWeights: WeightSnapshot | null = null;
  bestEpoch = -1;

  /** `net`: the network whose weights are restored; `hasValidation`: whether val* values will exist. */
  constructor(
    options: EarlyStoppingOptions,
    hasValidation: boolean,
    private readonly net: tfl.LayersModel,
  ) {
    super();
    if (options.monitor === undefined && !hasValidation) {
      // Keras monitors val_loss and only warns when it is missing; a silent switch to the training loss
      // stops on a different signal than the user asked for, so the choice is theirs to write down
      throw new GraftError(
        'INVALID_OPTION',
        'earlyStopping monitors "valLoss" by default, but the fit has no validation data: pass validationSplit or validationData, or set earlyStopping.monitor to "loss"',
      );
    }
    this.monitor = options.monitor ?? 'valLoss';
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

  /** Refuses an unknown monitor before any weight changes. */
  async onTrainBegin(): Promise<void> {
    const known = this.params?.metrics ?? [];
    if (!known.includes(this.monitor)) {
      throw new GraftError(
        'INVALID_OPTION',
        `earlyStopping monitors ${JSON.stringify(this.monitor)}, which is not among [${known.join(', ')}]`,
      );
    }
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const v = this.sign * logs[this.monitor];
    if (v < this.best - this.minDelta) {
      this.best = v;
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        disposeSnapshot(this.bestWeights);
        this.bestWeights = snapshotWeights(this.net);
      }
      return;
    }
    this.wait++;
    if (this.wait >= Math.max(this.patience, 1)) this.model?.stop('earlyStopping');
  }

  async onTrainEnd(logs: TrainEndLogs): Promise<void> {
    if (this.bestWeights && logs.stoppedBy !== 'aborted') restoreWeights(this.net, this.bestWeights);
    this.release();
  }

  /** Frees the best-weights copy (also when the fit fails before it ends). */
  override release(): void {
    disposeSnapshot(this.bestWeights);
    this.bestWeights = null;
  }
}
