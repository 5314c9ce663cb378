import { GraftError } from '../errors/graft-error';
import type { Logs, TrainParams } from './callbacks';
import type { FitControl } from './fit-control';

// What callbacks.reduceLROnPlateau() and callbacks.oneCycle() do inside a fit: loaded with the first such fit, so
// an app that only makes the callbacks (synchronously, options checked) downloads their settings code alone.

/** ReduceLROnPlateau's settings and running state (reduce-lr-on-plateau.ts). */
export interface PlateauState {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly maximise: boolean;
  best: number;
  wait: number;
  cooldownLeft: number;
  readonly reductions: { epoch: number; learningRate: number }[];
  readonly params: TrainParams | null;
  readonly model: FitControl | null;
}

/** Refuses a monitor the fit does not log (valLoss without validation data) before any step; resets the state. */
export function plateauBegin(p: PlateauState): void {
  const known = p.params?.metrics ?? [];
  if (!known.includes(p.monitor)) {
    const hint = p.monitor.startsWith('val') ? ': pass validationSplit or validationData, or monitor "loss"' : '';
    throw new GraftError(
      'INVALID_OPTION',
      `reduceLROnPlateau monitors ${JSON.stringify(p.monitor)}, which is not among [${known.join(', ')}]${hint}`,
    );
  }
  p.best = Number.POSITIVE_INFINITY;
  p.wait = 0;
  p.cooldownLeft = 0;
  p.reductions.length = 0;
}

export function plateauEpochEnd(p: PlateauState, epoch: number, logs: Logs): void {
  const current = (p.maximise ? -1 : 1) * logs[p.monitor];
  if (p.cooldownLeft > 0) {
    p.cooldownLeft--;
    p.wait = 0;
  }
  if (current < p.best - p.minDelta) {
    p.best = current;
    p.wait = 0;
    return;
  }
  if (p.cooldownLeft > 0 || ++p.wait < p.patience || !p.model) return;
  const old = p.model.learningRate;
  if (old > p.minLr) {
    const next = Math.max(old * p.factor, p.minLr);
    p.model.learningRate = next;
    p.reductions.push({ epoch, learningRate: next });
    p.cooldownLeft = p.cooldown;
    p.wait = 0;
  }
}

/** OneCycle's running state (one-cycle.ts); `rateAt` is its schedule. */
export interface CycleState {
  readonly maxLrOption?: number;
  maxLr: number;
  steps: number;
  done: number;
  readonly params: TrainParams | null;
  readonly model: FitControl | null;
  rateAt(pos: number): number;
}

function applyRate(c: CycleState): void {
  if (c.model && Number.isFinite(c.maxLr)) c.model.learningRate = c.rateAt(c.done / c.steps);
}

export function cycleBegin(c: CycleState): void {
  const p = c.params;
  c.steps = Math.max(1, (p?.batches ?? 1) * Math.max(1, (p?.epochs ?? 1) - (p?.initialEpoch ?? 0)));
  c.done = 0;
  c.maxLr = c.maxLrOption ?? c.model?.learningRate ?? Number.NaN;
  applyRate(c);
}

export function cycleBatchEnd(c: CycleState): void {
  c.done++;
  if (c.done < c.steps) applyRate(c);
}
