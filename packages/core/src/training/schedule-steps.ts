import { GraftError } from '../errors/graft-error';
import type { Logs, TrainParams } from './callbacks';
import type { FitControl } from './fit-control';

// What callbacks.reduceLROnPlateau() and callbacks.oneCycle() do inside a fit: loaded with the first such fit, so
// an app that only makes the callbacks (synchronously, options checked) downloads their settings code alone.

/** ReduceLROnPlateau's checked options. */
export interface PlateauSettings {
  monitor: string;
  factor: number;
  patience: number;
  minDelta: number;
  cooldown: number;
  minLr: number;
  maximise: boolean;
}

/** ReduceLROnPlateau as its hooks see it (reduce-lr-on-plateau.ts): settings, the running state, the fit. */
export interface PlateauState {
  readonly settings: PlateauSettings;
  readonly run: { best: number; wait: number; cooldownLeft: number };
  readonly reductions: { epoch: number; learningRate: number }[];
  readonly params: TrainParams | null;
  readonly model: FitControl | null;
}

/** Refuses a monitor the fit does not log (valLoss without validation data) before any step; resets the state. */
export function plateauBegin(p: PlateauState): void {
  const { monitor } = p.settings;
  const known = p.params?.metrics ?? [];
  if (!known.includes(monitor)) {
    const hint = monitor.startsWith('val') ? ': pass validationSplit or validationData, or monitor "loss"' : '';
    throw new GraftError(
      'INVALID_OPTION',
      `reduceLROnPlateau monitors ${JSON.stringify(monitor)}, which is not among [${known.join(', ')}]${hint}`,
    );
  }
  Object.assign(p.run, { best: Number.POSITIVE_INFINITY, wait: 0, cooldownLeft: 0 });
  p.reductions.length = 0;
}

export function plateauEpochEnd(p: PlateauState, epoch: number, logs: Logs): void {
  const { settings: s, run: r } = p;
  const current = (s.maximise ? -1 : 1) * logs[s.monitor];
  if (r.cooldownLeft > 0) {
    r.cooldownLeft--;
    r.wait = 0;
  }
  if (current < r.best - s.minDelta) {
    r.best = current;
    r.wait = 0;
    return;
  }
  if (r.cooldownLeft > 0 || ++r.wait < s.patience || !p.model) return;
  const old = p.model.learningRate;
  if (old > s.minLr) {
    const next = Math.max(old * s.factor, s.minLr);
    p.model.learningRate = next;
    p.reductions.push({ epoch, learningRate: next });
    r.cooldownLeft = s.cooldown;
    r.wait = 0;
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
