// Training and inference samples/s of the seed's MLP, a small CNN and MobileNetV2 (alpha 0.35, 96x96) on every
// training backend available here (webgpu in Node when a Vulkan driver is configured: bash .ci/vulkan.sh).
// PyTorch (bench/torch_models.py, 1 thread) runs the same models when Debian's python3-torch is installed.
// Run: node --conditions=graft-source --import tsx bench/backends.ts
// Env: BENCH_MODELS (comma list of mlp, cnn, mobilenet; default all), BENCH_BACKENDS (default cpu, wasm and webgpu
// when available; 'none' for PyTorch only), BENCH_ROUNDS (default 1: rounds alternate PyTorch and graft per model,
// and the table gives each side's best round), BENCH_SECONDS (PyTorch's seconds per measurement, default 3),
// BENCH_FOLD_COMPARE=1 (inference also measured with the inference plan off: setInferenceFolding(false), so
// BatchNormalization unfolded and every layer through tfjs-layers' apply, as before the plan).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backends, type Dataset, env, type Model, sequential, setInferenceFolding } from '@graftjs/core';
import '@graftjs/backend-wasm';
import { enableNodeWebGPU, releaseWebGPU } from '@graftjs/backend-webgpu';
import { findVulkanDriver } from '../packages/backend-webgpu/test/vulkan-env';
import { benchData, benchMlp, benchMobilenet } from './bench-models';
import { torchBlas, torchEnv } from './torch-blas';

interface Spec {
  name: string;
  shape: number[];
  classes: number;
  /** Samples per timed epoch, per backend (cpu is slow on the CNNs). */
  samples: (backend: string) => number;
  build(): Promise<Model>;
  /** The same model in bench/torch_models.py. */
  torch: string;
}

const SPECS: Spec[] = [
  {
    name: 'MLP 784-128-64-10',
    shape: [28, 28],
    classes: 10,
    samples: (b) => (b === 'cpu' ? 1024 : 4096),
    torch: 'mlp',
    build: async () => benchMlp(),
  },
  {
    name: 'CNN conv32-pool-conv64-pool-dense10 (28x28x1)',
    shape: [28, 28, 1],
    classes: 10,
    samples: (b) => (b === 'cpu' ? 128 : 1024),
    torch: 'cnn',
    build: async () =>
      sequential({ inputShape: [28, 28, 1], seed: 1 })
        .conv2d(32, 3, { activation: 'relu' })
        .maxPool2d(2)
        .conv2d(64, 3, { activation: 'relu' })
        .maxPool2d(2)
        .flatten()
        .dense(10, { activation: 'softmax' }),
  },
  {
    name: 'MobileNetV2 alpha 0.35, 96x96x3, all layers trained',
    shape: [96, 96, 3],
    classes: 10,
    samples: (b) => (b === 'cpu' ? 64 : 256),
    torch: 'mobilenet',
    build: benchMobilenet,
  },
];

/** Timed windows per round on each side: PyTorch's best of three (torch_models.py), graft's best of three epochs. */
const WINDOWS = 3;

async function measure(backend: string, spec: Spec): Promise<Rates> {
  await backends.use(backend);
  const n = spec.samples(backend);
  const ds = benchData(spec.shape, n, spec.classes);
  const model = await spec.build();
  await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false }); // warm-up: kernels, shaders
  let train = 0;
  for (let w = 0; w < WINDOWS; w++) {
    const t0 = performance.now();
    await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false });
    train = Math.max(train, n / ((performance.now() - t0) / 1000));
  }
  // BENCH_FOLD_COMPARE=1: inference also with the inference plan off (tfjs-layers' apply), in the same process
  let unfolded: number | undefined;
  if (process.env.BENCH_FOLD_COMPARE) {
    setInferenceFolding(false);
    unfolded = await inferRate(model, ds, n);
    setInferenceFolding(true);
  }
  const infer = await inferRate(model, ds, n);
  ds.dispose();
  await model.dispose();
  return { train, infer, unfolded };
}

async function inferRate(model: Model, ds: Dataset, n: number): Promise<number> {
  let infer = 0;
  for (let w = -1; w < WINDOWS; w++) {
    const t1 = performance.now();
    const out = await model.predictTensor(ds.x, { batchSize: 64 });
    await out.data();
    out.dispose();
    // w = -1 is the warm-up pass
    if (w >= 0) infer = Math.max(infer, n / ((performance.now() - t1) / 1000));
  }
  return infer;
}

type Rates = { train: number; infer: number; unfolded?: number };

/** PyTorch on `threads` threads on one model (bench/torch_models.py), or a reason it did not run. */
function torchRates(model: string, threads: number): (Rates & { version: string }) | string {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return 'PyTorch: skipped (python3-torch not installed for /usr/bin/python3)';
  }
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_models.py');
  const out = execFileSync('/usr/bin/python3', [script, process.env.BENCH_SECONDS ?? '3', model], {
    encoding: 'utf8',
    env: torchEnv(threads),
  });
  const r = JSON.parse(out.trim().split('\n').at(-1) as string) as {
    train_samples_per_s: number;
    infer_samples_per_s: number;
    torch: string;
  };
  return { train: r.train_samples_per_s, infer: r.infer_samples_per_s, version: r.torch };
}

const best = (a: Rates | undefined, b: Rates): Rates =>
  a
    ? {
        train: Math.max(a.train, b.train),
        infer: Math.max(a.infer, b.infer),
        unfolded: Math.max(a.unfolded ?? 0, b.unfolded ?? 0) || undefined,
      }
    : b;
const fmt = (v: number) => Math.round(v).toLocaleString('en');
const pick = (env: string | undefined, all: string[]) =>
  env ? env.split(',').filter((v) => v === 'none' || all.includes(v)) : all;
const list = pick(process.env.BENCH_BACKENDS, ['cpu', 'wasm', 'webgpu']).filter((b) => b !== 'none');
if (list.includes('webgpu') && !(findVulkanDriver() && (await enableNodeWebGPU()).available))
  list.splice(list.indexOf('webgpu'), 1);
const models = pick(process.env.BENCH_MODELS, ['mlp', 'cnn', 'mobilenet']);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
// BENCH_WASM_THREADS: env.backends.wasm.threads for graft (default 1, the issue's one-thread comparison);
// BENCH_TORCH_THREADS: PyTorch thread counts, each its own row (default 1; percentages are of the first)
const WASM_THREADS = Number(process.env.BENCH_WASM_THREADS ?? 1);
env.backends.wasm.threads = WASM_THREADS;
const TORCH_THREADS = (process.env.BENCH_TORCH_THREADS ?? '1').split(',').map(Number);
const blas = torchBlas();
const rows: string[] = [];
let torchNote = '';
for (const spec of SPECS.filter((s) => models.includes(s.torch))) {
  // rounds alternate PyTorch and every graft backend, so load from other processes hits both sides alike
  const refs = new Map<number, Rates & { version: string }>();
  const got = new Map<string, Rates>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of TORCH_THREADS) {
      const t = torchRates(spec.torch, threads);
      if (typeof t === 'string') torchNote = t;
      else refs.set(threads, { ...best(refs.get(threads), t), version: t.version });
    }
    for (const b of list) {
      if (b === 'cpu' && spec.name.startsWith('MobileNet') && !process.env.BENCH_CPU_MOBILENET) continue;
      got.set(b, best(got.get(b), await measure(b, spec)));
    }
  }
  const ref = refs.get(TORCH_THREADS[0] as number);
  const vs = (v: number, r: number | undefined) => (r ? ` (${((100 * v) / r).toFixed(0)}%)` : '');
  for (const b of list) {
    const r = got.get(b);
    // tfjs's cpu conv gradients train the small CNN at ~1 sample/s: a MobileNet epoch would take hours
    rows.push(
      r
        ? `| ${spec.name} | ${b}${b === 'wasm' ? `, ${WASM_THREADS} thread(s)` : ''} | ${fmt(r.train)}${vs(r.train, ref?.train)} | ${fmt(r.infer)}${vs(r.infer, ref?.infer)} |`
        : `| ${spec.name} | cpu | not measured (BENCH_CPU_MOBILENET=1 to try) | not measured |`,
    );
    console.error(rows.at(-1));
    if (r?.unfolded) {
      rows.push(`| ${spec.name} | ${b}, inference plan off | | ${fmt(r.unfolded)}${vs(r.unfolded, ref?.infer)} |`);
      console.error(rows.at(-1));
    }
  }
  for (const [threads, t] of refs) {
    rows.push(`| ${spec.name} | PyTorch ${t.version}, ${threads} thread(s) | ${fmt(t.train)} | ${fmt(t.infer)} |`);
  }
}
const webgpu = list.includes('webgpu')
  ? (await backends.list()).find((s) => s.name === 'webgpu')?.reason
  : 'not available';
console.log(
  '\n| model | backend | training samples/s (% of PyTorch) | inference samples/s (% of PyTorch) |\n|---|---|---:|---:|',
);
console.log(rows.join('\n'));
console.log(
  `\nbatch 64, Adam; one warm-up epoch excluded; best of ${WINDOWS} timed epochs (graft) or windows (PyTorch) in each of ${ROUNDS} interleaved round(s); webgpu: ${webgpu}`,
);
if (torchNote) console.log(torchNote);
console.log(blas);
console.log(
  `machine: ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
console.log(`wasm: ${(await backends.list()).find((s) => s.name === 'wasm')?.reason ?? ''}`);
const command = [
  'BENCH_FOLD_COMPARE',
  'BENCH_MODELS',
  'BENCH_BACKENDS',
  'BENCH_ROUNDS',
  'BENCH_SECONDS',
  'BENCH_WASM_THREADS',
  'BENCH_TORCH_THREADS',
]
  .filter((k) => process.env[k])
  .map((k) => `${k}=${process.env[k]} `)
  .join('');
console.log(`command: ${command}node --conditions=graft-source --import tsx bench/backends.ts`);
releaseWebGPU();
process.exit(0);
