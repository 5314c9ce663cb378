/**
 * The short program is the correct program (issue 13, item 1): with no options, a frozen MobileNet v1 0.25 and a
 * new head reach at least 84% on a seeded 40/20 per-class split of the shared flower photos, on cpu and wasm
 * (the best tuned linear probe measured in bench/default-head.ts reaches about 86%). The photos are decoded once.
 */
import { type Dataset, fromDirectory, transfer } from '@graftjs/core';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';

describe.skipIf(!HAVE_ASSETS)('the no-options transfer program on real flower photos', () => {
  let train: Dataset;
  let test: Dataset;

  beforeAll(async () => {
    const flowers = await fromDirectory(`${ASSETS}/flowers`, { size: [224, 224] });
    [train, test] = await flowers.split(1 / 3, { seed: 7 });
    flowers.dispose();
  });
  afterAll(() => {
    train?.dispose();
    test?.dispose();
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`transfer(mobilenetV1 0.25).freeze().addHead(5).fit(train) reaches 84% on ${backend}`, async () => {
      await useBackend(backend);
      const from = `${ASSETS}/mobilenet_v1_0.25_224/layers`;
      const base = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from });
      const before = tf.memory().numTensors;
      const model = await transfer(base).freeze().addHead(5).fit(train);
      const { accuracy } = await model.evaluate(test);
      const fit = model.lastFit;
      console.log(
        `[default head] mobilenet_v1_0.25 on ${backend}: ${(accuracy * 100).toFixed(1)}% (${fit?.solver}, weightDecay ${fit?.weightDecay}, ${fit?.iterations} iterations)`,
      );
      expect(fit?.solver).toBe('lbfgs');
      expect(fit?.featureCache).toBe(true);
      expect(accuracy).toBeGreaterThanOrEqual(0.84);
      await model.dispose();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    }, 400_000);
  }
});
