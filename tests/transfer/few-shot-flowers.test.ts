/**
 * Few-shot flowers (issue 15, item 4): a frozen MobileNet v1 0.25, 10 labelled photos per class as kNN examples,
 * no training, scored on the other 50 per class of the shared flower photos, on cpu and wasm. The photos are
 * decoded once. Figures in docs/benchmarks.md ("Few-shot kNN on flowers").
 */
import { readdirSync } from 'node:fs';
import { createRng, embed, imagesToTensor } from '@graftjs/core';
import { type FewShotPrediction, fewShot } from '@graftjs/heads';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';

const SHOTS = 10;
const CLASSES = ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips'];

describe.skipIf(!HAVE_ASSETS)('few-shot kNN on real flower photos', () => {
  let shots: tf.Tensor4D[] = [];
  let test: tf.Tensor4D;
  let truth: number[] = [];

  beforeAll(async () => {
    const rng = createRng(15);
    const testPaths: string[] = [];
    for (const [c, name] of CLASSES.entries()) {
      const files = readdirSync(`${ASSETS}/flowers/${name}`)
        .filter((f) => f.endsWith('.jpg'))
        .sort();
      for (let i = files.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [files[i], files[j]] = [files[j], files[i]];
      }
      const paths = files.map((f) => `${ASSETS}/flowers/${name}/${f}`);
      shots.push(await imagesToTensor(paths.slice(0, SHOTS), { size: [224, 224] }));
      testPaths.push(...paths.slice(SHOTS));
      truth.push(...paths.slice(SHOTS).map(() => c));
    }
    test = await imagesToTensor(testPaths, { size: [224, 224] });
  }, 300_000);
  afterAll(() => {
    for (const s of shots) s.dispose();
    test?.dispose();
    shots = [];
    truth = [];
  });

  const accuracy = (p: FewShotPrediction[]) => p.filter((x, i) => x.label === CLASSES[truth[i]]).length / p.length;

  for (const backend of ['cpu', 'wasm']) {
    it(`fewShot(mobilenetV1 0.25, { k: 3 }) from ${SHOTS} photos per class on ${backend}`, async () => {
      await useBackend(backend);
      const base = await mobilenetV1({
        alpha: 0.25,
        weights: 'imagenet',
        from: `${ASSETS}/mobilenet_v1_0.25_224/layers`,
      });
      const before = tf.memory().numTensors;
      const knn = fewShot(base, { k: 3 });
      for (const [c, name] of CLASSES.entries()) await knn.addExample(shots[c], name);
      const predicted = (await knn.predict(test)) as FewShotPrediction[];
      expect(tf.memory().numTensors).toBe(before);
      // the same embeddings, stored directly: kNN at other k and class prototypes
      const shotEmb = await Promise.all(shots.map((s) => embed(base, s)));
      const testEmb = await embed(base, test);
      const scores: Record<string, number> = { 'knn k=3': accuracy(predicted) };
      for (const [mode, options] of [
        ['knn k=1', { k: 1 }],
        ['knn k=5', { k: 5 }],
        ['prototype', { mode: 'prototype' as const }],
      ] as const) {
        const other = fewShot(base, options);
        for (const [c, name] of CLASSES.entries()) await other.addEmbedding(shotEmb[c], name);
        scores[mode] = accuracy(await other.predictEmbedding(testEmb));
      }
      for (const t of [...shotEmb, testEmb]) t.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const figures = Object.entries(scores).map(([m, a]) => `${m} ${(a * 100).toFixed(1)}%`);
      console.log(`[few-shot] mobilenet_v1_0.25, ${SHOTS}/class, ${backend}: ${figures.join(', ')}`);
      // chance is 20%; a frozen ImageNet base with 10 photos per class does far better
      expect(scores['knn k=3']).toBeGreaterThanOrEqual(0.6);
      expect(scores.prototype).toBeGreaterThanOrEqual(0.6);
      base.model.dispose();
    }, 400_000);
  }
});
