/**
 * Benchmarks graft's wasm training kernels.
 * Run: node --conditions=graft-source --import tsx bench/wasm-kernels.ts   (BENCH_SECONDS=3 per measurement)
 * Prints markdown tables: training samples/s (wasm with graft's kernels, stock wasm where it can train, cpu,
 * and PyTorch 1 thread when Debian's python3-torch is installed) and per-kernel timings.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '../packages/backend-wasm/src/index';
import { ADDED_KERNELS, useGraftWasmKernels } from '../packages/backend-wasm/src/kernels/register';
import { torchBlas, torchEnv } from './torch-blas';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BATCH = 64;
const L = tfl.layers;
/** 'wasm graft': all of graft's kernels; 'wasm added only': graft's added kernels + stock everything else;
 * 'wasm stock': tfjs-backend-wasm 4.22 as shipped (no graft kernels). */
type Variant = 'wasm graft' | 'wasm added only' | 'wasm stock' | 'cpu';

const mlp = () =>
  tfl.sequential({
    layers: [
      L.dense({ inputShape: [784], units: 128, activation: 'relu' }),
      L.dense({ units: 64, activation: 'relu' }),
      L.dense({ units: 10 }),
    ],
  });
const cnn = () =>
  tfl.sequential({
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 10 }),
    ],
  });

async function setVariant(v: Variant): Promise<void> {
  await tf.setBackend(v === 'cpu' ? 'cpu' : 'wasm');
  useGraftWasmKernels(v === 'wasm graft' || v === 'cpu');
  for (const config of ADDED_KERNELS) {
    const present = tf.getKernel(config.kernelName, 'wasm') != null;
    if (v === 'wasm stock' && present) tf.unregisterKernel(config.kernelName, 'wasm');
    if (v !== 'wasm stock' && !present) tf.registerKernel(config);
  }
}

/** Repeats fn for about SECONDS after a warm-up; returns milliseconds per call. */
async function timeIt(fn: () => void, minReps = 3, warmup = 2, seconds = SECONDS): Promise<number> {
  for (let i = 0; i < warmup; i++) fn();
  let reps = 0;
  const start = performance.now();
  while (reps < minReps || performance.now() - start < seconds * 1000) {
    fn();
    reps++;
  }
  return (performance.now() - start) / reps;
}

async function trainSpeed(factory: () => tfl.Sequential, v: Variant): Promise<number | string> {
  await setVariant(v);
  const model = factory();
  const opt = tf.train.sgd(0.01);
  const inShape = model.inputs[0].shape.slice(1) as number[];
  const xs = tf.randomNormal([BATCH, ...inShape]);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10);
  try {
    const step = () =>
      tf.tidy(() => {
        opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
      });
    // The cpu backend needs seconds per CNN step: time a single cold step there.
    const slow = v === 'cpu' && factory === cnn;
    if (slow) return (BATCH * 1000) / (await timeIt(step, 1, 0));
    // Best of three windows: on a shared machine the least disturbed window is the most repeatable figure.
    let best = Number.POSITIVE_INFINITY;
    for (let w = 0; w < 3; w++) best = Math.min(best, await timeIt(step, 3, w === 0 ? 2 : 0, SECONDS / 3));
    return (BATCH * 1000) / best;
  } catch (e) {
    const m = /Kernel '(\w+)' not registered/.exec((e as Error).message);
    return m ? `fails (no ${m[1]})` : `fails: ${(e as Error).message.slice(0, 60)}`;
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
    opt.dispose();
  }
}

type KernelCase = { label: string; kernel: string; inputs: Record<string, number[]>; attrs: Record<string, unknown> };
const kernelCases: KernelCase[] = [
  {
    label: "Slice (ZeroPadding2D's gradient) x[64,49,49,96] -> [64,48,48,96]",
    kernel: 'Slice',
    inputs: { x: [64, 49, 49, 96] },
    attrs: { begin: [0, 0, 0, 0], size: [64, 48, 48, 96] },
  },
  {
    label: 'Conv2D conv1 x[64,28,28,1] f[3,3,1,32]',
    kernel: 'Conv2D',
    inputs: { x: [64, 28, 28, 1], filter: [3, 3, 1, 32] },
    attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
  },
  {
    label: 'Conv2DBackpropFilter conv1 x[64,28,28,1] f[3,3,1,32]',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: [64, 28, 28, 1], dy: [64, 26, 26, 32] },
    attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 1, 32] },
  },
  {
    label: 'Conv2DBackpropFilter conv2 x[64,13,13,32] f[3,3,32,64]',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: [64, 13, 13, 32], dy: [64, 11, 11, 64] },
    attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] },
  },
  {
    label: 'Conv2DBackpropInput conv2 dy[64,11,11,64] f[3,3,32,64]',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: [64, 11, 11, 64], filter: [3, 3, 32, 64] },
    attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [64, 13, 13, 32] },
  },
  {
    label: 'MaxPoolGrad 2x2 x[64,26,26,32]',
    kernel: 'MaxPoolGrad',
    inputs: { dy: [64, 13, 13, 32], input: [64, 26, 26, 32], output: [64, 13, 13, 32] },
    attrs: { filterSize: 2, strides: 2, pad: 'valid' },
  },
  {
    label: 'BatchMatMul tA [784,64]^T@[64,128] (dense dW)',
    kernel: 'BatchMatMul',
    inputs: { a: [1, 64, 784], b: [1, 64, 128] },
    attrs: { transposeA: true, transposeB: false },
  },
  {
    label: 'BatchMatMul tB [64,128]@[784,128]^T (dense dx)',
    kernel: 'BatchMatMul',
    inputs: { a: [1, 64, 128], b: [1, 784, 128] },
    attrs: { transposeA: false, transposeB: true },
  },
  {
    label: 'Sum over [0,1,2] of [64,26,26,32] (conv bias grad)',
    kernel: 'Sum',
    inputs: { x: [64, 26, 26, 32] },
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    label: 'Identity [64,26,26,32]',
    kernel: 'Identity',
    inputs: { x: [64, 26, 26, 32] },
    attrs: {},
  },
  {
    label: 'DepthwiseBackpropFilter x[64,14,14,32] 3x3 same',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    inputs: { x: [64, 14, 14, 32], dy: [64, 14, 14, 32] },
    attrs: { strides: 1, dilations: 1, pad: 'same', filterShape: [3, 3, 32, 1] },
  },
  {
    label: 'DepthwiseBackpropInput dy[64,14,14,32] 3x3 same',
    kernel: 'DepthwiseConv2dNativeBackpropInput',
    inputs: { dy: [64, 14, 14, 32], filter: [3, 3, 32, 1] },
    attrs: { strides: 1, dilations: 1, pad: 'same', inputShape: [64, 14, 14, 32] },
  },
];

async function kernelTime(c: KernelCase, v: Variant): Promise<string> {
  await setVariant(v);
  const ts: Record<string, tf.Tensor> = {};
  for (const [k, shape] of Object.entries(c.inputs)) ts[k] = tf.randomNormal(shape);
  try {
    // Best call of the run: the least disturbed by other processes on a shared machine.
    let best = Number.POSITIVE_INFINITY;
    await timeIt(() => {
      const start = performance.now();
      tf.dispose(tf.engine().runKernel(c.kernel, ts as never, c.attrs as never));
      best = Math.min(best, performance.now() - start);
    }, 5);
    return best.toFixed(2);
  } catch (e) {
    return (e as Error).message.includes('not registered') ? 'missing' : `error: ${(e as Error).message.slice(0, 40)}`;
  } finally {
    tf.dispose(Object.values(ts));
  }
}

function torchSpeed(): number | null {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_cnn.py');
  if (!existsSync('/usr/bin/python3')) return null;
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const out = execFileSync('/usr/bin/python3', [script, String(SECONDS)], { encoding: 'utf8', env: torchEnv() });
  return (JSON.parse(out.trim().split('\n').pop() as string) as { samples_per_s: number }).samples_per_s;
}

const fmt = (x: number | string) => (typeof x === 'number' ? x.toFixed(0) : x);

async function main(): Promise<void> {
  const variants: Variant[] = ['wasm graft', 'wasm added only', 'wasm stock', 'cpu'];
  console.log('Command: node --conditions=graft-source --import tsx bench/wasm-kernels.ts');
  console.log(`(BENCH_SECONDS=${SECONDS}, batch ${BATCH}, SGD, softmax cross-entropy, synthetic data;`);
  console.log('samples/s: best of three windows, wasm and PyTorch alike)\n');

  // BENCH_KERNELS_ONLY=1: only the per-kernel table
  if (!process.env.BENCH_KERNELS_ONLY) await trainingTable(variants);
  await kernelTable();
}

async function trainingTable(variants: Variant[]): Promise<void> {
  console.log(`| training samples/s | ${variants.join(' | ')} | PyTorch 1 thread | wasm graft / PyTorch |`);
  console.log(`|---|${variants.map(() => '---:').join('|')}|---:|---:|`);
  for (const [name, factory, isCnn] of [
    ['MLP 784-128-64-10', mlp, false],
    ['CNN conv32-pool-conv64-pool-dense10, 28x28x1', cnn, true],
  ] as const) {
    const speeds: (number | string)[] = [];
    for (const v of variants) speeds.push(await trainSpeed(factory, v));
    // PyTorch right after the wasm runs, so both see similar load on a shared machine.
    const t = isCnn ? torchSpeed() : null;
    const ratio = t != null && typeof speeds[0] === 'number' ? `${((speeds[0] / t) * 100).toFixed(0)}%` : 'n/a';
    console.log(`| ${name} | ${speeds.map(fmt).join(' | ')} | ${t != null ? t.toFixed(0) : 'n/a'} | ${ratio} |`);
  }
  console.log(
    `\n${torchBlas()}\n"wasm stock": tfjs-backend-wasm 4.22 as shipped. "wasm added only": stock plus the kernels graft adds.`,
  );
  console.log(
    '"wasm graft": also graft\'s replacements (Conv2D, Conv2DBackpropInput, MaxPoolGrad, BatchMatMul, Sum, Identity, Cast).',
  );
  console.log("cpu CNN: one cold step (seconds per step on tfjs-backend-cpu, with core's filter-gradient kernel).\n");
}

async function kernelTable(): Promise<void> {
  // The cpu backend takes seconds to minutes per conv-gradient call, so kernels are compared on wasm only.
  const kernelVariants: Variant[] = ['wasm graft', 'wasm stock'];
  console.log(`| kernel (ms per call, best call) | ${kernelVariants.join(' | ')} |`);
  console.log(`|---|${kernelVariants.map(() => '---:').join('|')}|`);
  for (const c of kernelCases) {
    const row: string[] = [];
    for (const v of kernelVariants) row.push(await kernelTime(c, v));
    console.log(`| ${c.label} | ${row.join(' | ')} |`);
  }
  await setVariant('wasm graft');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
