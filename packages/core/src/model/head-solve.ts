import * as tf from '@tensorflow/tfjs-core';
import type { LinearProblem } from '../solvers/linear-head-objective';
import type { CallbackList } from '../training/callback-list';
import type { Logs } from '../training/callbacks';
import { evaluateTensors } from '../training/evaluate';
import type { FitControl } from '../training/fit-control';
import { type LoopOptions, type LoopResult, type TrainSpec, trainLoop, trainParams } from '../training/loop';
import type { FitChoice, FitPlan } from './fit-plan';

/** The cached features and labels as one problem for the solver (labels as one-hot or 0/1 targets). */
async function toProblem(spec: TrainSpec, solve: NonNullable<FitPlan['solve']>): Promise<LinearProblem> {
  const n = spec.x.shape[0];
  const x = Float64Array.from(await spec.x.data());
  const labels = await spec.y.data();
  const k = (solve.layer.getConfig() as { units: number }).units;
  let t: Float64Array;
  if (solve.loss === 'sparseCategoricalCrossentropy') {
    t = new Float64Array(n * k);
    for (let r = 0; r < n; r++) t[r * k + labels[r]] = 1;
  } else t = Float64Array.from(labels);
  // view-major rows (an image's augmented views): one group per image, so its views share a fold
  const views = spec.views ?? 1;
  const groups = views > 1 ? Int32Array.from({ length: n }, (_, r) => r % (n / views)) : undefined;
  return { x, t, n, d: x.length / n, k, link: solve.link, groups };
}

async function epochLogs(spec: TrainSpec, batchSize: number): Promise<Logs> {
  const names = ['loss', ...spec.metrics.map((m) => m.name)];
  const logs: Logs = {};
  const train = await evaluateTensors(spec.net, spec.loss, spec.metrics, spec.x, spec.y, batchSize);
  names.forEach((name, i) => {
    logs[name] = train[i];
  });
  if (spec.val) {
    const val = await evaluateTensors(spec.net, spec.loss, spec.metrics, spec.val.x, spec.val.y, batchSize);
    names.forEach((name, i) => {
      logs[`val${name[0].toUpperCase()}${name.slice(1)}`] = val[i];
    });
  }
  return logs;
}

/**
 * A solved head as one epoch for the callbacks: train begin, epoch 0 begin, the solve, epoch 0 end with the
 * data loss and metrics of the solution on the training (and validation) data, train end. No batch events.
 */
async function solveAsEpoch(
  plan: FitPlan,
  spec: TrainSpec,
  opts: LoopOptions,
  callbacks: CallbackList,
  control: FitControl,
): Promise<LoopResult & Partial<FitChoice>> {
  const solve = plan.solve as NonNullable<FitPlan['solve']>;
  const names = ['loss', ...spec.metrics.map((m) => m.name)];
  callbacks.configure(trainParams(spec, { ...opts, epochs: 1 }, names), control);
  try {
    await callbacks.onTrainBegin();
    if (opts.signal?.aborted) {
      await callbacks.onTrainEnd({ stoppedBy: 'aborted', epochs: 0 });
      return { stoppedBy: 'aborted', epochs: 0 };
    }
    await callbacks.onEpochBegin(0);
    // the solver loads with the first solved head: a model that only trains by gradient never loads it
    const { solveLinearHead } = await import('../solvers/solve-linear-head');
    const s = solveLinearHead(await toProblem(spec, solve), { seed: opts.seed });
    const [kernel, bias] = solve.layer.weights;
    tf.tidy(() =>
      solve.layer.setWeights([
        tf.tensor(s.kernel, kernel.shape as number[]),
        tf.tensor(s.bias, bias.shape as number[]),
      ]),
    );
    const logs = await epochLogs(spec, opts.batchSize);
    await callbacks.onEpochEnd(0, logs, Float32Array.of(logs.loss));
    const stoppedBy = control.stopTraining ? (control.stopReason ?? 'stopTraining') : 'completed';
    await callbacks.onTrainEnd({ stoppedBy, epochs: 1 });
    return { stoppedBy, epochs: 1, weightDecay: s.weightDecay, iterations: s.iterations };
  } finally {
    callbacks.release();
  }
}

/** Runs the plan: the solver for a solved head, else the training loop. */
export async function runPlan(
  plan: FitPlan,
  spec: TrainSpec,
  opts: LoopOptions,
  callbacks: CallbackList,
  control: FitControl,
): Promise<LoopResult & FitChoice> {
  if (!plan.solve) return { ...(await trainLoop(spec, opts, callbacks, control)), ...plan.choice };
  return { ...plan.choice, ...(await solveAsEpoch(plan, spec, opts, callbacks, control)) };
}
