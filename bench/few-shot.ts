/**
 * Few-shot kNN on the shared flowers (issue 15, item 4): a frozen MobileNet v1 0.25 (ImageNet weights, average
 * pooling, 256 values per embedding), `fewShot(base)` with no training, SHOTS photos per class as examples (a seeded
 * shuffle, seed 15, of each class's 60 photos), scored on the class's other photos: all of them on wasm, the first
 * BENCH_CPU_TEST per class on cpu (tfjs' cpu kernels are slow). Cosine metric; chance is 20%. The test photos are
 * embedded once per backend and every mode (kNN k = 1, 3, 5; prototype) classifies the same embeddings.
 * Times: embed s is addExample for the examples plus `embed` of the test photos; classify s is the four modes.
 *
 * Run: node --conditions=graft-source --import tsx bench/few-shot.ts
 * Env: BENCH_BACKENDS (default wasm,cpu), BENCH_SHOTS (default 10), BENCH_CPU_TEST (default 20).
 */
import os from 'node:os';
import '@graftjs/backend-wasm';
import { backends, embed, imagesToTensor } from '@graftjs/core';
import { FewShotClassifier, fewShot } from '@graftjs/heads';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { ASSETS } from '../tests/helpers/assets';
import { FLOWER_CLASSES as CLASSES, seededFlowerPaths } from '../tests/helpers/flower-order';

const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',').filter(Boolean);
const SHOTS = Number(process.env.BENCH_SHOTS ?? 10);
const CPU_TEST = Number(process.env.BENCH_CPU_TEST ?? 20);
const MODES = [
  ['kNN k=1', { k: 1 }],
  ['kNN k=3 (default)', { k: 3 }],
  ['kNN k=5', { k: 5 }],
  ['prototype', { mode: 'prototype' as const }],
] as const;

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const order = seededFlowerPaths(15);
const shots = await Promise.all(order.map((paths) => imagesToTensor(paths.slice(0, SHOTS), { size: [224, 224] })));
const load0 = os.loadavg()[0];
const rows: string[] = [];
for (const backend of BACKENDS) {
  await backends.use(backend);
  const perClass = backend === 'cpu' ? CPU_TEST : order[0].length - SHOTS;
  const testPaths = order.flatMap((paths) => paths.slice(SHOTS, SHOTS + perClass));
  const truth = order.flatMap((paths, c) => paths.slice(SHOTS, SHOTS + perClass).map(() => CLASSES[c]));
  const test = await imagesToTensor(testPaths, { size: [224, 224] });
  const base = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: `${ASSETS}/mobilenet_v1_0.25_224/layers` });
  let t0 = performance.now();
  const knn = fewShot(base, { k: 3 });
  for (const [c, name] of CLASSES.entries()) await knn.addExample(shots[c], name);
  const emb = await embed(base, test);
  const embedSeconds = seconds(t0);
  t0 = performance.now();
  const state = knn.save();
  const scores: string[] = [];
  for (const [, options] of MODES) {
    const other = FewShotClassifier.load({ ...state, options: { ...state.options, ...options } }, base);
    const p = await other.predictEmbedding(emb);
    scores.push(`${((100 * p.filter((q, i) => q.label === truth[i]).length) / p.length).toFixed(1)}%`);
  }
  const classifySeconds = seconds(t0);
  const embedded = SHOTS * CLASSES.length + test.shape[0];
  const row = `| ${backend} | ${test.shape[0]} | ${scores.join(' | ')} | ${embedded} | ${embedSeconds.toFixed(1)} | ${classifySeconds.toFixed(2)} |`;
  console.log(row);
  rows.push(row);
  tf.dispose([emb, test]);
  base.model.dispose();
}
tf.dispose(shots);
console.log(
  `\nflowers, ${SHOTS} examples per class, ${new Date().toISOString()}, load average ${load0.toFixed(1)} at start / ${os.loadavg()[0].toFixed(1)} at end`,
);
console.log(
  `| backend | test photos | ${MODES.map(([m]) => m).join(' | ')} | photos embedded | embed s | classify s (4 modes) |`,
);
console.log(`|---|---:|${MODES.map(() => '---:').join('|')}|---:|---:|---:|`);
for (const r of rows) console.log(r);
