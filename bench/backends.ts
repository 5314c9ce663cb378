// Training and inference samples/s of the seed's MLP, a small CNN and MobileNetV2 (alpha 0.35, 96x96) on every
// training backend available here (webgpu in Node when a Vulkan driver is configured: bash .ci/vulkan.sh).
// PyTorch (bench/torch_models.py, 1 thread) runs the same models when Debian's python3-torch is installed.
// Run: node --conditions=graft-source --import tsx bench/backends.ts
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backends, createRng, Dataset, type Model, sequential, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import '@graftjs/backend-wasm';
import { enableNodeWebGPU, releaseWebGPU } from '@graftjs/backend-webgpu';
import { mobilenetV2 } from '@graftjs/zoo';
import { findVulkanDriver } from '../packages/backend-webgpu/test/vulkan-env';

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
    build: async () =>
      sequential({ inputShape: [28, 28], seed: 1 })
        .flatten()
        .dense(128, { activation: 'relu' })
        .dense(64, { activation: 'relu' })
        .dense(10, { activation: 'softmax' }),
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
    build: async () =>
      transfer(await mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], seed: 1 }), { seed: 1 }).addHead(10),
  },
];

function data(spec: Spec, n: number): Dataset {
  const rng = createRng(3);
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size).map(() => rng.next());
  return Dataset.from(
    { data: x, shape: [n, ...spec.shape] },
    Array.from({ length: n }, (_, i) => i % spec.classes),
  );
}

async function measure(backend: string, spec: Spec): Promise<{ train: number; infer: number }> {
  await backends.use(backend);
  const n = spec.samples(backend);
  const ds = data(spec, n);
  const model = await spec.build();
  await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false }); // warm-up: kernels, shaders
  const t0 = performance.now();
  await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false });
  const train = n / ((performance.now() - t0) / 1000);
  const out0 = await model.predictTensor(ds.x, { batchSize: 64 });
  await out0.data();
  out0.dispose();
  const t1 = performance.now();
  const out = await model.predictTensor(ds.x, { batchSize: 64 });
  await out.data();
  out.dispose();
  const infer = n / ((performance.now() - t1) / 1000);
  ds.dispose();
  await model.dispose();
  return { train, infer };
}

/** PyTorch 1 thread on the same models (bench/torch_models.py), when Debian's python3-torch is installed. */
function torchRates(): Map<string, { train: number; infer: number; version: string }> | string {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return 'PyTorch: skipped (python3-torch not installed for /usr/bin/python3)';
  }
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_models.py');
  const out = execFileSync('/usr/bin/python3', [script, process.env.BENCH_SECONDS ?? '3'], { encoding: 'utf8' });
  const rates = new Map<string, { train: number; infer: number; version: string }>();
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line) as {
      model: string;
      train_samples_per_s: number;
      infer_samples_per_s: number;
      torch: string;
    };
    rates.set(r.model, { train: r.train_samples_per_s, infer: r.infer_samples_per_s, version: r.torch });
  }
  return rates;
}

const fmt = (v: number) => Math.round(v).toLocaleString('en');
const list = ['cpu', 'wasm'];
if (findVulkanDriver() && (await enableNodeWebGPU()).available) list.push('webgpu');
// PyTorch first, on a machine no tfjs work is loading yet; the tfjs rows follow in the same run
const torch = torchRates();
const rows: string[] = [];
for (const spec of SPECS) {
  const ref = typeof torch === 'string' ? undefined : torch.get(spec.torch);
  const vs = (v: number, r: number | undefined) => (r ? ` (${((100 * v) / r).toFixed(0)}%)` : '');
  for (const b of list) {
    if (b === 'cpu' && spec.name.startsWith('MobileNet') && !process.env.BENCH_CPU_MOBILENET) {
      // tfjs's cpu conv gradients train the small CNN at ~1 sample/s: a MobileNet epoch would take hours
      rows.push(`| ${spec.name} | cpu | not measured (BENCH_CPU_MOBILENET=1 to try) | not measured |`);
      continue;
    }
    const r = await measure(b, spec);
    rows.push(
      `| ${spec.name} | ${b} | ${fmt(r.train)}${vs(r.train, ref?.train)} | ${fmt(r.infer)}${vs(r.infer, ref?.infer)} |`,
    );
    console.error(rows.at(-1));
  }
  if (ref) rows.push(`| ${spec.name} | PyTorch ${ref.version}, 1 thread | ${fmt(ref.train)} | ${fmt(ref.infer)} |`);
}
const webgpu = list.includes('webgpu')
  ? (await backends.list()).find((s) => s.name === 'webgpu')?.reason
  : 'not available';
console.log(
  '\n| model | backend | training samples/s (% of PyTorch) | inference samples/s (% of PyTorch) |\n|---|---|---:|---:|',
);
console.log(rows.join('\n'));
console.log(`\nbatch 64, Adam; one warm-up epoch excluded; webgpu: ${webgpu}`);
if (typeof torch === 'string') console.log(torch);
console.log(
  `machine: ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
console.log('command: node --conditions=graft-source --import tsx bench/backends.ts');
releaseWebGPU();
process.exit(0);
