// Inference samples/s of the MLP 784-128-64-10 and MobileNetV2 (alpha 0.35, 96x96) through predictTensor, with
// the inference plan and without it (setInferenceFolding(false): tfjs-layers' own apply per layer), alternated
// pass by pass in one process so load from other processes hits every variant alike; and, first, what an app without
// graft runs: tfjs-layers' own `predict` on the same LayersModel.
// Run: node --conditions=graft-source --import tsx bench/predict-ab.ts
// Env: BENCH_MODELS (mlp, mobilenet; default both), BENCH_BACKENDS (default wasm), BENCH_ROUNDS (timed passes per
// variant, default 8; one untimed warm-up pass each first), BENCH_CUTS=1 (the plan also with batches forced to host
// copies and to device slices).
import os from 'node:os';
import { backends, type Dataset, type Model, setInferenceFolding } from '@graftjs/core';
import '@graftjs/backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import { type BatchCut, setPlannedBatchCut } from '../packages/core/src/model/predict-batches';
import { benchData, benchMlp, benchMobilenet } from './bench-models';

const MODELS: Record<string, { name: string; shape: number[]; n: number; build(): Promise<Model> }> = {
  mlp: {
    name: 'MLP 784-128-64-10',
    shape: [28, 28],
    n: 4096,
    build: async () => benchMlp(),
  },
  mobilenet: {
    name: 'MobileNetV2 0.35 96x96',
    shape: [96, 96, 3],
    n: 256,
    build: benchMobilenet,
  },
};

// `plain: true` is what an app without graft runs: tfjs-layers' own `predict` on the same LayersModel (`model.net`)
type Variant = { name: string; plan: boolean; cut: BatchCut; plain?: boolean };
const VARIANTS: Variant[] = [
  { name: 'plain tfjs-layers `net.predict(x, { batchSize: 64 })`', plan: false, cut: 'auto', plain: true },
  { name: 'unplanned (tfjs-layers apply)', plan: false, cut: 'auto' },
  { name: 'planned', plan: true, cut: 'auto' },
  ...(process.env.BENCH_CUTS
    ? ([
        { name: 'planned, host copies', plan: true, cut: 'host' },
        { name: 'planned, device slices', plan: true, cut: 'device' },
      ] as Variant[])
    : []),
];

async function pass(model: Model, ds: Dataset, v: Variant): Promise<number> {
  setInferenceFolding(v.plan);
  setPlannedBatchCut(v.cut);
  const t0 = performance.now();
  const out = v.plain
    ? (model.net.predict(ds.x, { batchSize: 64 }) as tf.Tensor)
    : await model.predictTensor(ds.x, { batchSize: 64 });
  await out.data();
  const ms = performance.now() - t0;
  out.dispose();
  return ms;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
const fmt = (v: number) => Math.round(v).toLocaleString('en');
for (const backend of (process.env.BENCH_BACKENDS ?? 'wasm').split(',')) {
  await backends.use(backend);
  for (const key of (process.env.BENCH_MODELS ?? 'mlp,mobilenet').split(',')) {
    const spec = MODELS[key];
    const ds = benchData(spec.shape, spec.n);
    const model = await spec.build();
    const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
    for (let r = -1; r < rounds; r++)
      for (const v of VARIANTS) {
        const ms = await pass(model, ds, v);
        if (r >= 0) times.get(v.name)?.push(ms);
      }
    console.log(`\n${spec.name} on ${backend}, batch 64, ${spec.n} samples per pass, ${rounds} alternated passes\n`);
    console.log('| variant | samples/s (median) | best | each pass, ms |\n|---|---:|---:|---|');
    for (const [name, v] of times)
      console.log(
        `| ${name} | ${fmt(spec.n / (median(v) / 1000))} | ${fmt(spec.n / (Math.min(...v) / 1000))} | ${v.map((t) => t.toFixed(0)).join(', ')} |`,
      );
    ds.dispose();
    model.dispose();
  }
}
setInferenceFolding(true);
setPlannedBatchCut('auto');
console.log(
  `\nload average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
process.exit(0);
