/**
 * Few-shot flowers (issue 15, item 4): a frozen MobileNet v1 0.25, 10 labelled photos per class as kNN examples,
 * no training, scored on the other 50 per class of the shared flower photos, on cpu and wasm. The photos are
 * decoded once. The figures and times in docs/benchmarks.md ("Few-shot kNN on flowers") come from bench/few-shot.ts,
 * the same measurement; this test asserts the accuracy floor.
 */
import { embed, imagesToTensor } from '@graftjs/core';
import { FewShotClassifier, type FewShotPrediction, fewShot } from '@graftjs/heads';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';
import { FLOWER_CLASSES as CLASSES, seededFlowerPaths } from '../helpers/flower-order';

const SHOTS = 10;

describe.skipIf(!HAVE_ASSETS)('few-shot kNN on real flower photos', () => {
  let shots: tf.Tensor4D[] = [];
  let test: tf.Tensor4D;
  let truth: number[] = [];

  beforeAll(async () => {
    const testPaths: string[] = [];
    for (const [c, paths] of seededFlowerPaths(15).entries()) {
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

  // cpu's tfjs kernels are slow: it scores the first 20 test photos per class, wasm all 50
  for (const [backend, perClass] of [
    ['cpu', 20],
    ['wasm', 50],
  ] as const) {
    it(`fewShot(mobilenetV1 0.25) from ${SHOTS} photos per class on ${backend}, ${perClass} test photos per class`, async () => {
      await useBackend(backend);
      const base = await mobilenetV1({
        alpha: 0.25,
        weights: 'imagenet',
        from: `${ASSETS}/mobilenet_v1_0.25_224/layers`,
      });
      const rows = truth.flatMap((c, i) => (i - truth.indexOf(c) < perClass ? [i] : []));
      const x = tf.gather(test, rows);
      const before = tf.memory().numTensors;
      const knn = fewShot(base, { k: 3 });
      for (const [c, name] of CLASSES.entries()) await knn.addExample(shots[c], name);
      // one pass over the test photos: their embeddings, then every mode on them
      const emb = await embed(base, x);
      const labels = rows.map((i) => CLASSES[truth[i]]);
      const scores: Record<string, number> = {};
      const state = knn.save();
      for (const [mode, options] of [
        ['knn k=1', { k: 1 }],
        ['knn k=3', { k: 3 }],
        ['knn k=5', { k: 5 }],
        ['prototype', { mode: 'prototype' as const }],
      ] as const) {
        const other = FewShotClassifier.load({ ...state, options: { ...state.options, ...options } }, base);
        const p = await other.predictEmbedding(emb);
        scores[mode] = p.filter((q, i) => q.label === labels[i]).length / p.length;
      }
      // the image path answers as the embedding path does
      const picks = [0, 1, 2, 3, 4].map((c) => c * perClass);
      const some = tf.gather(x, picks);
      const someEmb = tf.gather(emb, picks);
      const viaImages = (await knn.predict(some)) as FewShotPrediction[];
      const viaVectors = await knn.predictEmbedding(someEmb);
      expect(viaImages.map((p) => p.label)).toEqual(viaVectors.map((p) => p.label));
      tf.dispose([emb, some, someEmb]);
      expect(tf.memory().numTensors).toBe(before);
      const figures = Object.entries(scores).map(([m, a]) => `${m} ${(a * 100).toFixed(1)}%`);
      console.log(
        `[few-shot] mobilenet_v1_0.25, ${SHOTS}/class, ${rows.length} test photos, ${backend}: ${figures.join(', ')}`,
      );
      // chance is 20%; a frozen ImageNet base with 10 photos per class does far better
      expect(scores['knn k=3']).toBeGreaterThanOrEqual(0.55);
      expect(scores.prototype).toBeGreaterThanOrEqual(0.55);
      x.dispose();
      base.model.dispose();
    }, 400_000);
  }
});
