import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { backends } from '../backends/registry';
import { createRng, permutation } from '../data/rng';
import { GraftError } from '../errors/graft-error';
import type { LossFn } from '../model/losses';
import type { Callbacks, EarlyStoppingOptions, Logs, StopReason } from './callbacks';
import { EarlyStopper } from './early-stopping';
import { dropoutLayers } from './random-layers';
import { disposeSnapshot, restoreWeights, snapshotWeights, type WeightSnapshot } from './weights';
import { createYielder } from './yield';

export interface NamedMetric {
  name: string;
  fn: LossFn;
}

export interface TrainSpec {
  /** The network whose trainable weights are updated (the head alone when features are cached). */
  net: LayersModel;
  loss: LossFn;
  metrics: NamedMetric[];
  optimizer: tf.Optimizer;
  x: tf.Tensor;
  y: tf.Tensor;
  val: { x: tf.Tensor; y: tf.Tensor } | null;
  featureCache: boolean;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed?: number;
  callbacks: Callbacks;
  earlyStopping?: EarlyStoppingOptions;
  signal?: AbortSignal;
  nonFinite: 'stop' | 'continue';
  /** Epoch to start at (resuming a checkpoint); `epochs` stays the total, as Keras' initial_epoch. */
  initialEpoch?: number;
}

export interface LoopResult {
  history: Record<string, number[]>;
  stoppedBy: StopReason;
  epochs: number;
}

/**
 * Per-batch loss and metric scalars, kept on the device as they are (no per-batch ops) and read back once
 * per epoch with one stack; the size-weighted means are taken on the host.
 */
class Accumulator {
  private parts: tf.Tensor[] = [];
  private sizes: number[] = [];
  /** `values`: one scalar per name (loss first), all kept past the caller's tidy. */
  add(values: tf.Tensor[], n: number): void {
    for (const v of values) this.parts.push(tf.keep(v));
    this.sizes.push(n);
  }
  async read(): Promise<{ means: Float32Array; perBatch: Float32Array }> {
    const batches = this.sizes.length;
    if (batches === 0) return { means: new Float32Array(0), perBatch: new Float32Array(0) };
    const width = this.parts.length / batches;
    const stacked = tf.stack(this.parts);
    const perBatch = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const sums = new Float64Array(width);
    let count = 0;
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < width; i++) sums[i] += perBatch[b * width + i] * this.sizes[b];
      count += this.sizes[b];
    }
    this.clear();
    return { means: Float32Array.from(sums, (v) => v / count), perBatch };
  }
  clear(): void {
    for (const p of this.parts) p.dispose();
    this.parts = [];
    this.sizes = [];
  }
}

/** Largest input (x and y) copied out of host memory for host batching; a 'shared' backend needs no copy.
 * On host-memory backends a JS copy of a batch costs microseconds, while their GatherV2 kernels walk element by
 * element (milliseconds per 64x784 batch) and a Slice may copy the whole source tensor on every call. */
const MAX_HOST_COPY_BYTES = 256 * 2 ** 20;

/**
 * The tensors' values in host memory when batching there pays (a 'shared' backend, or a 'copied' one within the
 * copy bound), else null:
 * one rule for training, evaluation and prediction batches.
 */
export function hostValues(tensors: tf.Tensor[]): Float32Array[] | null {
  const memory = backends.running()?.hostMemory ?? 'device';
  const bytes = tensors.reduce((a, t) => a + t.size * 4, 0);
  const host =
    memory !== 'device' &&
    tensors.every((t) => t.dtype === 'float32') &&
    (memory === 'shared' || bytes <= MAX_HOST_COPY_BYTES);
  return host ? tensors.map((t) => t.dataSync() as Float32Array) : null;
}

/** Makes (x, y) batches from row indices; call inside a tidy. */
interface BatchSource {
  take(rows: Int32Array): { xb: tf.Tensor; yb: tf.Tensor };
}

function rowsOf(values: Float32Array, shape: number[], rows: Int32Array): tf.Tensor {
  const width = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows.length * width);
  if (width === 1) {
    for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  } else {
    for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  }
  return tf.tensor(out, [rows.length, ...shape.slice(1)], 'float32');
}

/**
 * Host batching on host-memory backends (rows copied from the values the backend already holds in host memory), device
 * gather elsewhere (webgpu keeps data on the GPU, where gather is cheap and a download is not). Both give
 * the same batches, so seeded runs do not depend on the path taken.
 */
function batchSource(x: tf.Tensor, y: tf.Tensor): BatchSource {
  const values = hostValues([x, y]);
  if (values) {
    const [xv, yv] = values;
    return { take: (rows) => ({ xb: rowsOf(xv, x.shape, rows), yb: rowsOf(yv, y.shape, rows) }) };
  }
  return {
    take: (rows) => {
      const idx = tf.tensor1d(rows, 'int32');
      return { xb: tf.gather(x, idx), yb: tf.gather(y, idx) };
    },
  };
}

/** 0..n-1, the order of unshuffled and evaluation batches. */
function identityOrder(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function aborted(signal?: AbortSignal): boolean {
  return signal?.aborted === true;
}

/** Runs `net` over (x, y) in batches without training: mean loss and metrics. */
export async function evaluateTensors(
  net: LayersModel,
  loss: LossFn,
  metrics: NamedMetric[],
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
): Promise<number[]> {
  const acc = new Accumulator();
  const n = x.shape[0];
  const source = batchSource(x, y);
  const order = identityOrder(n);
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      tf.tidy(() => {
        const { xb, yb } = source.take(order.subarray(start, start + size));
        const pred = net.apply(xb, { training: false }) as tf.Tensor;
        acc.add([loss(yb, pred), ...metrics.map((m) => m.fn(yb, pred))], size);
      });
    }
    const { means } = await acc.read();
    return Array.from(means);
  } finally {
    acc.clear();
  }
}

/**
 * The training loop: seeded shuffling, batches gathered on the device, losses read back once per epoch,
 * callbacks, early stopping, abort, and rollback on a non-finite loss.
 */
export async function trainLoop(spec: TrainSpec, opts: LoopOptions): Promise<LoopResult> {
  const { net, loss, metrics, optimizer, x, y, val } = spec;
  const n = x.shape[0];
  const batches = Math.ceil(n / opts.batchSize);
  const seeded = opts.seed !== undefined;
  // one stream per epoch, derived from (seed, epoch): a resumed fit draws the same shuffles and masks
  let rng = createRng(opts.seed);
  const epochRng = (epoch: number) =>
    seeded ? createRng(((opts.seed as number) * 2654435761 + epoch * 40503) >>> 0) : rng;
  const first = opts.initialEpoch ?? 0;
  const dropouts = dropoutLayers(net);
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      'the model has no trainable weights: unfreeze some layers or add a head before fit',
    );
  }
  const history: Record<string, number[]> = {};
  const names = ['loss', ...metrics.map((m) => m.name)];
  const stopper = opts.earlyStopping ? new EarlyStopper(opts.earlyStopping, val !== null) : null;
  if (stopper) {
    // refuse an unknown monitor before any weight changes
    const known = [...names, ...(val ? names.map((n) => `val${n[0].toUpperCase()}${n.slice(1)}`) : [])];
    if (!known.includes(stopper.monitor)) {
      throw new GraftError(
        'INVALID_OPTION',
        `earlyStopping monitors ${JSON.stringify(stopper.monitor)}, which is not among [${known.join(', ')}]`,
      );
    }
  }
  let best: WeightSnapshot | null = null;
  let lastGood: WeightSnapshot | null = null;
  const yielder = createYielder();
  const cb = opts.callbacks;
  const start = performance.now();
  let samplesDone = 0;
  const totalSamples = n * Math.max(1, opts.epochs - first);
  let stoppedBy: StopReason = 'completed';
  let epochsRun = 0;
  const acc = new Accumulator();
  const source = batchSource(x, y);
  await cb.onTrainBegin?.();
  try {
    for (let epoch = first; epoch < opts.epochs; epoch++) {
      rng = epochRng(epoch);
      if (aborted(opts.signal)) {
        stoppedBy = 'aborted';
        break;
      }
      await cb.onEpochBegin?.(epoch);
      if (opts.nonFinite === 'stop') {
        disposeSnapshot(lastGood);
        lastGood = snapshotWeights(net);
      }
      const order = opts.shuffle ? permutation(n, rng) : identityOrder(n);
      for (let b = 0; b < batches; b++) {
        if (aborted(opts.signal)) {
          stoppedBy = 'aborted';
          break;
        }
        const lo = b * opts.batchSize;
        const size = Math.min(opts.batchSize, n - lo);
        if (seeded) for (const d of dropouts) d.seed = rng.seed32();
        let batchLoss: tf.Tensor | null = null;
        tf.tidy(() => {
          const { xb, yb } = source.take(order.subarray(lo, lo + size));
          let pred: tf.Tensor | null = null;
          const { value, grads } = tf.variableGrads(() => {
            const p = net.apply(xb, { training: true }) as tf.Tensor;
            pred = tf.keep(p);
            const reg = net.calculateLosses();
            const l = loss(yb, p);
            return reg.reduce<tf.Tensor>((a, b) => tf.add(a, b), l) as tf.Scalar;
          }, vars);
          optimizer.applyGradients(grads);
          const p = pred as unknown as tf.Tensor;
          acc.add([value, ...metrics.map((m) => m.fn(yb, p))], size);
          // The accumulator keeps `value` until the epoch ends: read it, never dispose it here.
          if (cb.onBatchEnd) batchLoss = value;
          p.dispose();
        });
        samplesDone += size;
        if (cb.onBatchEnd && batchLoss) {
          const bl = batchLoss as tf.Tensor;
          const v = (await bl.data())[0];
          await cb.onBatchEnd(b, { loss: v, size });
        }
        if (cb.onProgress) {
          const elapsed = (performance.now() - start) / 1000;
          const rate = samplesDone / Math.max(elapsed, 1e-9);
          cb.onProgress({
            epoch,
            epochs: opts.epochs,
            batch: b,
            batches,
            fraction: samplesDone / totalSamples,
            etaSeconds: (totalSamples - samplesDone) / rate,
            samplesPerSecond: rate,
            featureCache: spec.featureCache,
            phase: 'fit',
          });
        }
        const y0 = yielder();
        if (y0) await y0;
      }
      if (stoppedBy === 'aborted') {
        acc.clear();
        break;
      }
      const { means, perBatch } = await acc.read();
      const logs: Logs = {};
      names.forEach((name, i) => {
        logs[name] = means[i];
      });
      // a clipped loss can stay finite while the weights overflow (wasm clamps NaN in clipByValue): check both
      const weightsFinite = opts.nonFinite === 'continue' || (await allFinite(vars));
      if (!Number.isFinite(logs.loss) || !weightsFinite) {
        if (opts.nonFinite === 'stop' && !weightsFinite && Number.isFinite(logs.loss)) {
          if (lastGood) restoreWeights(net, lastGood);
          throw new GraftError(
            'NON_FINITE_LOSS',
            `the weights became NaN or Inf during epoch ${epoch + 1} (the clipped loss read ${logs.loss}); weights were rolled back to the end of epoch ${epoch}` +
              ' (lower the learning rate, check inputs for extreme values, or pass nonFinite: "continue")',
            { epoch },
          );
        }
        if (opts.nonFinite === 'stop') {
          const width = names.length;
          let bad = 0;
          for (let i = 0; i < perBatch.length / width; i++) {
            if (!Number.isFinite(perBatch[i * width])) {
              bad = i;
              break;
            }
          }
          if (lastGood) restoreWeights(net, lastGood);
          throw new GraftError(
            'NON_FINITE_LOSS',
            `the loss became ${perBatch[bad * width]} at epoch ${epoch + 1}, batch ${bad + 1}; weights were rolled back to the end of epoch ${epoch}` +
              ' (lower the learning rate, check inputs for extreme values, or pass nonFinite: "continue")',
            { epoch, batch: bad },
          );
        }
      }
      if (val) {
        const vals = await evaluateTensors(net, loss, metrics, val.x, val.y, opts.batchSize);
        names.forEach((name, i) => {
          logs[`val${name[0].toUpperCase()}${name.slice(1)}`] = vals[i];
        });
      }
      for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
      epochsRun++;
      await cb.onEpochEnd?.(epoch, logs);
      if (stopper) {
        const { improved, stop } = stopper.update(epoch, logs);
        if (improved && stopper.restoreBestWeights) {
          disposeSnapshot(best);
          best = snapshotWeights(net);
        }
        if (stop) {
          stoppedBy = 'earlyStopping';
          break;
        }
      }
    }
    if (best && stopper?.restoreBestWeights && stoppedBy !== 'aborted') restoreWeights(net, best);
    await cb.onTrainEnd?.({ stoppedBy, epochs: epochsRun });
    return { history, stoppedBy, epochs: epochsRun };
  } finally {
    acc.clear();
    disposeSnapshot(best);
    disposeSnapshot(lastGood);
  }
}

/** One sum per weight, read once: NaN or Inf anywhere makes its sum non-finite. */
async function allFinite(vars: tf.Variable[]): Promise<boolean> {
  // pairwise adds, not addN: webgpu's AddN binds one buffer per input and fails past the device's limit
  const total = tf.tidy(() => vars.map((v) => tf.sum(tf.abs(v))).reduce((a, b) => tf.add(a, b)));
  const value = (await total.data())[0];
  total.dispose();
  return Number.isFinite(value);
}
