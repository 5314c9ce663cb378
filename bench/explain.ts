/**
 * What a Grad-CAM explanation costs next to a prediction: MobileNet v1 0.25 (224x224, the shared assets' weights)
 * frozen with a 5-class head, one photo (decoded from its file each call, as an app passes a path), on cpu and wasm.
 * Medians of BENCH_REPS rounds after one warm-up, each round timing a predict then an explain (so load from other
 * processes hits both alike).
 *
 * Run: node --conditions=graft-source --import tsx bench/explain.ts
 * Env: BENCH_REPS (default 5), BENCH_BACKENDS (default cpu,wasm).
 */
import '@graftjs/backend-wasm';
import { loadavg } from 'node:os';
import { backends, explain, transfer } from '@graftjs/core';
import { mobilenetV1 } from '@graftjs/zoo';
import { ASSETS } from '../tests/helpers/assets';
import { timeRounds } from './onnx-timing';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm').split(',');
const PHOTO = `${ASSETS}/photos/flower.jpg`;

const load = () =>
  loadavg()
    .map((v) => v.toFixed(1))
    .join(', ');

console.log(`load average before: ${load()}`);
console.log('| backend | predict ms | explain ms | ratio |');
console.log('|---|---:|---:|---:|');
for (const name of BACKENDS) {
  await backends.use(name);
  const base = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: `${ASSETS}/mobilenet_v1_0.25_224/layers` });
  const model = transfer(base, { seed: 1 }).freeze().addHead(5);
  const { predict, explained } = await timeRounds(REPS, {
    predict: async () => void (await model.predict(PHOTO)),
    explained: async () => void (await explain(model, PHOTO)),
  });
  console.log(`| ${name} | ${predict.toFixed(0)} | ${explained.toFixed(0)} | ${(explained / predict).toFixed(2)}x |`);
  model.dispose();
  base.model.dispose();
}
console.log(`load average after: ${load()}`);
