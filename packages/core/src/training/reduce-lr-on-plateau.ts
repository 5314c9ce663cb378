import { describe, GraftError } from '../errors/graft-error';
import { Callback } from './callback';
import type { Logs } from './callbacks';

/** Keras' ReduceLROnPlateau settings (camel-cased names, Keras' defaults). */
export interface ReduceLROnPlateauOptions {
  /** Default 'valLoss' (Keras 'val_loss'); a fit without validation data must name 'loss' explicitly. */
  monitor?: string;
  /** New rate = rate * factor (default 0.1, must be below 1). */
  factor?: number;
  /** Epochs without improvement before the rate drops (default 10). */
  patience?: number;
  /** 'auto' minimises, except a monitor naming accuracy, which it maximises. */
  mode?: 'auto' | 'min' | 'max';
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a drop before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the rate (default 0). */
  minLr?: number;
}

function count(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0))
    throw new GraftError(
      'INVALID_OPTION',
      `expected reduceLROnPlateau ${name} as a non-negative integer, got ${describe(value)}`,
    );
  return v;
}

function nonNegative(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
    throw new GraftError('INVALID_OPTION', `expected reduceLROnPlateau ${name} >= 0, got ${describe(value)}`);
  return v;
}

/** Keras' ReduceLROnPlateau: multiplies the learning rate by `factor` when the monitored value stops improving. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  private readonly factor: number;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private readonly maximise: boolean;
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;
  private cooldownLeft = 0;
  /** Every drop of the last fit: the epoch it followed and the new rate. */
  readonly reductions: { epoch: number; learningRate: number }[] = [];

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new GraftError(
        'INVALID_OPTION',
        `expected reduceLROnPlateau options as an object, got ${describe(options)}`,
      );
    this.monitor = options.monitor ?? 'valLoss';
    const factor = options.factor ?? 0.1;
    if (!(typeof factor === 'number' && factor > 0 && factor < 1))
      throw new GraftError('INVALID_OPTION', `expected reduceLROnPlateau factor in (0, 1), got ${describe(factor)}`);
    this.factor = factor;
    this.patience = count('patience', options.patience, 10);
    this.cooldown = count('cooldown', options.cooldown, 0);
    this.minDelta = nonNegative('minDelta', options.minDelta, 1e-4);
    this.minLr = nonNegative('minLr', options.minLr, 0);
    const mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode))
      throw new GraftError('INVALID_OPTION', `expected reduceLROnPlateau mode auto, min or max, got ${describe(mode)}`);
    this.maximise = mode === 'max' || (mode === 'auto' && /acc/i.test(this.monitor));
  }

  /** Refuses a monitor the fit does not log (valLoss without validation data) before any step. */
  override async onTrainBegin(): Promise<void> {
    const known = this.params?.metrics ?? [];
    if (!known.includes(this.monitor)) {
      const hint = this.monitor.startsWith('val') ? ': pass validationSplit or validationData, or monitor "loss"' : '';
      throw new GraftError(
        'INVALID_OPTION',
        `reduceLROnPlateau monitors ${JSON.stringify(this.monitor)}, which is not among [${known.join(', ')}]${hint}`,
      );
    }
    this.best = Number.POSITIVE_INFINITY;
    this.wait = 0;
    this.cooldownLeft = 0;
    this.reductions.length = 0;
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const current = (this.maximise ? -1 : 1) * logs[this.monitor];
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    if (current < this.best - this.minDelta) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownLeft > 0 || ++this.wait < this.patience || !this.model) return;
    const old = this.model.learningRate;
    if (old > this.minLr) {
      const next = Math.max(old * this.factor, this.minLr);
      this.model.learningRate = next;
      this.reductions.push({ epoch, learningRate: next });
      this.cooldownLeft = this.cooldown;
      this.wait = 0;
    }
  }
}
