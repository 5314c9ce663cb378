import { describe, GraftError } from '../errors/graft-error';
import { Callback } from './callback';
import type { Logs } from './callbacks';
import type { PlateauSettings, PlateauState } from './schedule-steps';

// what the hooks do loads with the first fit that uses the callback
const scheduleSteps = () => import('./schedule-steps');

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
export class ReduceLROnPlateau extends Callback implements PlateauState {
  readonly monitor: string;
  /** Every drop of the last fit: the epoch it followed and the new rate. */
  readonly reductions: { epoch: number; learningRate: number }[] = [];
  /** @internal The checked options and the running state, for the hooks (schedule-steps.ts). */
  readonly settings: PlateauSettings;
  /** @internal */
  readonly run = { best: Number.POSITIVE_INFINITY, wait: 0, cooldownLeft: 0 };

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new GraftError(
        'INVALID_OPTION',
        `expected reduceLROnPlateau options as an object, got ${describe(options)}`,
      );
    const monitor = options.monitor ?? 'valLoss';
    const factor = options.factor ?? 0.1;
    if (!(typeof factor === 'number' && factor > 0 && factor < 1))
      throw new GraftError('INVALID_OPTION', `expected reduceLROnPlateau factor in (0, 1), got ${describe(factor)}`);
    const patience = count('patience', options.patience, 10);
    const cooldown = count('cooldown', options.cooldown, 0);
    const minDelta = nonNegative('minDelta', options.minDelta, 1e-4);
    const minLr = nonNegative('minLr', options.minLr, 0);
    const mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(mode))
      throw new GraftError('INVALID_OPTION', `expected reduceLROnPlateau mode auto, min or max, got ${describe(mode)}`);
    const maximise = mode === 'max' || (mode === 'auto' && /acc/i.test(monitor));
    this.monitor = monitor;
    this.settings = { monitor, factor, patience, minDelta, cooldown, minLr, maximise };
  }

  /** Refuses a monitor the fit does not log (valLoss without validation data) before any step. */
  override async onTrainBegin(): Promise<void> {
    (await scheduleSteps()).plateauBegin(this);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    (await scheduleSteps()).plateauEpochEnd(this, epoch, logs);
  }
}
