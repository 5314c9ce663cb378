import { describe, GraftError } from '../errors/graft-error';
import { Callback } from './callback';
import type { CycleState } from './schedule-steps';

// what the hooks do loads with the first fit that uses the callback
const scheduleSteps = () => import('./schedule-steps');

/** fastai's `fit_one_cycle` settings (camel-cased names, same defaults). */
export interface OneCycleOptions {
  /** Peak rate. Default: the rate the fit starts with (fit's `learningRate`, compile's, or the default). */
  maxLr?: number;
  /** The cycle starts at maxLr / div (default 25). */
  div?: number;
  /** And ends at maxLr / divFinal (default 1e5). */
  divFinal?: number;
  /** Fraction of the steps spent rising (default 0.25); 0.99 makes it a warm-up. */
  pctStart?: number;
}

/** fastai's SchedCos: from `start` to `end` along half a cosine as `pos` goes 0..1. */
function cosine(start: number, end: number, pos: number): number {
  return start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;
}

function positive(name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
    throw new GraftError('INVALID_OPTION', `expected oneCycle ${name} as a positive number, got ${describe(value)}`);
  return v;
}

/**
 * The one-cycle learning-rate policy of fastai's `fit_one_cycle`, per step: a cosine rise from maxLr/div to maxLr
 * over `pctStart` of the fit's steps, then a cosine fall to maxLr/divFinal. fastai also cycles momentum; graft
 * leaves Adam's beta1 alone. Its state fields are for its hooks (schedule-steps.ts), not to be set by apps.
 */
export class OneCycle extends Callback implements CycleState {
  override readonly readsBatchLoss = false;
  private readonly div: number;
  private readonly divFinal: number;
  private readonly pctStart: number;
  readonly maxLrOption?: number;
  maxLr = Number.NaN;
  steps = 1;
  done = 0;

  constructor(options: OneCycleOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new GraftError('INVALID_OPTION', `expected oneCycle options as an object, got ${describe(options)}`);
    this.maxLrOption = options.maxLr === undefined ? undefined : positive('maxLr', options.maxLr, 1);
    this.div = positive('div', options.div, 25);
    this.divFinal = positive('divFinal', options.divFinal, 1e5);
    const pct = options.pctStart ?? 0.25;
    if (!(typeof pct === 'number' && pct > 0 && pct < 1))
      throw new GraftError('INVALID_OPTION', `expected oneCycle pctStart in (0, 1), got ${describe(options.pctStart)}`);
    this.pctStart = pct;
  }

  /** The rate at `pos` (0..1) through the cycle. */
  rateAt(pos: number): number {
    const max = this.maxLr;
    if (pos < this.pctStart) return cosine(max / this.div, max, pos / this.pctStart);
    return cosine(max, max / this.divFinal, (pos - this.pctStart) / (1 - this.pctStart));
  }

  override async onTrainBegin(): Promise<void> {
    (await scheduleSteps()).cycleBegin(this);
  }

  override async onBatchEnd(): Promise<void> {
    (await scheduleSteps()).cycleBatchEnd(this);
  }
}
