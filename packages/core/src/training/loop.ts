import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createRng, permutation, type Rng } from '../data/rng';
import { GraftError } from '../errors/graft-error';
import type { LossFn } from '../model/losses';
import { Accumulator } from './accumulator';
import { type BatchSource, batchSource, identityOrder } from './batches';
import type { CallbackList } from './callback-list';
import type { Logs, StopReason, TrainParams } from './callbacks';
import { evaluateTensors, metricValues, type NamedMetric } from './evaluate';
import type { FitControl } from './fit-control';
import { dropoutLayers } from './random-layers';
import { createYielder } from './yield';

export interface TrainSpec {
  /** The network whose trainable weights are updated (the head alone when features are cached). */
  net: LayersModel;
  loss: LossFn;
  /** What the gradient steps minimise where it is not `loss` (class weights, as Keras: validation stays unweighted). */
  trainLoss?: LossFn;
  metrics: NamedMetric[];
  optimizer: tf.Optimizer;
  x: tf.Tensor;
  y: tf.Tensor;
  val: { x: tf.Tensor; y: tf.Tensor } | null;
  featureCache: boolean;
  /** Rows of `x` per sample (1 + K augmented views, view-major: row r is sample r mod n/views); default 1. */
  views?: number;
  /** Applied to each training batch before the network (per-batch augmentation); validation never sees it. */
  transform?: (xb: tf.Tensor) => tf.Tensor;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed?: number;
  signal?: AbortSignal;
  /** Epoch to start at (resuming a checkpoint); `epochs` stays the total, as Keras' initial_epoch. */
  initialEpoch?: number;
}

export interface LoopResult {
  stoppedBy: StopReason;
  epochs: number;
}

/** What one epoch ended with: its logs and per-batch losses, or why it ended without logs. */
type EpochOutcome = { logs: Logs; batchLosses: Float32Array } | { ended: 'aborted' | 'stopped' };

/** The state one fit's epochs share. */
interface Run {
  spec: TrainSpec;
  opts: LoopOptions;
  callbacks: CallbackList;
  control: FitControl;
  names: string[];
  source: BatchSource;
  acc: Accumulator;
  vars: tf.Variable[];
  dropouts: { seed?: number }[];
  readLoss: boolean;
  yielder: () => Promise<void> | undefined;
}

/**
 * The training loop: seeded shuffling, gradient steps, losses read back once per epoch, validation. It emits
 * events to the callback list and nothing else; the list (History, EarlyStopping, Checkpoint, Progress, the
 * non-finite guard, the user's) does the rest. Stops on an abort signal or when a callback sets `stopTraining`.
 */
export async function trainLoop(
  spec: TrainSpec,
  opts: LoopOptions,
  callbacks: CallbackList,
  control: FitControl,
): Promise<LoopResult> {
  const vars = spec.net.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      'the model has no trainable weights: unfreeze some layers or add a head before fit',
    );
  }
  const names = ['loss', ...spec.metrics.map((m) => m.name)];
  const run: Run = {
    ...{ spec, opts, callbacks, control, names, vars },
    source: batchSource(spec.x, spec.y),
    acc: new Accumulator(),
    dropouts: dropoutLayers(spec.net),
    readLoss: callbacks.readsBatchLoss,
    yielder: createYielder(),
  };
  callbacks.configure(trainParams(spec, opts, names), control);
  let stoppedBy: StopReason = 'completed';
  let epochsRun = 0;
  const rngFor = epochStreams(opts.seed);
  try {
    await callbacks.onTrainBegin();
    for (let epoch = opts.initialEpoch ?? 0; epoch < opts.epochs && stoppedBy === 'completed'; epoch++) {
      const outcome = await runEpoch(run, epoch, rngFor(epoch));
      if ('ended' in outcome) {
        stoppedBy = outcome.ended === 'aborted' ? 'aborted' : (control.stopReason ?? 'stopTraining');
        break;
      }
      epochsRun++;
      await callbacks.onEpochEnd(epoch, outcome.logs, outcome.batchLosses);
      if (control.stopTraining) stoppedBy = control.stopReason ?? 'stopTraining';
    }
    await callbacks.onTrainEnd({ stoppedBy, epochs: epochsRun });
    return { stoppedBy, epochs: epochsRun };
  } finally {
    run.acc.clear();
    callbacks.release();
  }
}

/** What every callback learns before the first epoch (also for a solved head, which runs one). */
export function trainParams(spec: TrainSpec, opts: LoopOptions, names: string[]): TrainParams {
  const n = spec.x.shape[0];
  const val = spec.val ? names.map((k) => `val${k[0].toUpperCase()}${k.slice(1)}`) : [];
  return {
    epochs: opts.epochs,
    initialEpoch: opts.initialEpoch ?? 0,
    batches: Math.ceil(n / opts.batchSize),
    samples: n,
    metrics: [...names, ...val],
    featureCache: spec.featureCache,
  };
}

/** One stream per epoch, derived from (seed, epoch), so a resumed fit draws the same shuffles and masks. */
function epochStreams(seed: number | undefined): (epoch: number) => Rng {
  const shared = createRng(seed);
  return (epoch) => (seed === undefined ? shared : createRng((seed * 2654435761 + epoch * 40503) >>> 0));
}

async function runEpoch(run: Run, epoch: number, rng: Rng): Promise<EpochOutcome> {
  const { opts, spec, callbacks, control } = run;
  if (opts.signal?.aborted) return { ended: 'aborted' };
  await callbacks.onEpochBegin(epoch);
  const n = spec.x.shape[0];
  const order = opts.shuffle ? permutation(n, rng) : identityOrder(n);
  let ran = 0;
  for (let lo = 0; lo < n; lo += opts.batchSize) {
    if (opts.signal?.aborted) {
      run.acc.clear();
      return { ended: 'aborted' };
    }
    if (control.stopTraining) break;
    const rows = order.subarray(lo, Math.min(lo + opts.batchSize, n));
    if (opts.seed !== undefined) for (const d of run.dropouts) d.seed = rng.seed32();
    const loss = step(run, rows);
    const logs = { size: rows.length, loss: run.readLoss && loss ? (await loss.data())[0] : Number.NaN };
    await callbacks.onBatchEnd(ran++, logs);
    const pause = run.yielder();
    if (pause) await pause;
  }
  if (ran === 0) return { ended: 'stopped' };
  return epochLogs(run);
}

/** One gradient step; returns the batch loss (kept by the accumulator until the epoch ends). */
function step(run: Run, rows: Int32Array): tf.Tensor {
  const { net, metrics, optimizer } = run.spec;
  const loss = run.spec.trainLoss ?? run.spec.loss;
  return tf.tidy(() => {
    const taken = run.source.take(rows);
    const xb = run.spec.transform ? run.spec.transform(taken.xb) : taken.xb;
    const yb = taken.yb;
    let pred: tf.Tensor | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const p = net.apply(xb, { training: true }) as tf.Tensor;
      pred = tf.keep(p);
      const reg = net.calculateLosses();
      return reg.reduce<tf.Tensor>((a, b) => tf.add(a, b), loss(yb, p)) as tf.Scalar;
    }, run.vars);
    optimizer.applyGradients(grads);
    const p = pred as unknown as tf.Tensor;
    run.acc.add([value, ...metrics.map((m) => m.fn(yb, p))], rows.length);
    p.dispose();
    return value;
  });
}

/** The epoch's loss and metrics (one read), then the validation values. */
async function epochLogs(run: Run): Promise<EpochOutcome> {
  const values = await run.acc.read();
  const { val, net, loss, metrics } = run.spec;
  const train = metricValues(metrics, values);
  const logs: Logs = {};
  run.names.forEach((name, i) => {
    logs[name] = train[i];
  });
  if (val) {
    const vals = await evaluateTensors(net, loss, metrics, val.x, val.y, run.opts.batchSize);
    run.names.forEach((name, i) => {
      logs[`val${name[0].toUpperCase()}${name.slice(1)}`] = vals[i];
    });
  }
  return { logs, batchLosses: values.batchLosses };
}
