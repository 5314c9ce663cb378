import { createRng, isGraftError, sequential, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { binaryScorer, softmaxScorer } from './scorers';

/** Six samples, predicted class 0 0 1 2 2 1 with probability 0.6 (0.2 elsewhere); true classes below. */
const PREDICTED = [0, 0, 1, 2, 2, 1];
const TRUTH = [0, 1, 1, 2, 0, 1];
const X = PREDICTED.map((c) => [0, 1, 2].map((j) => Math.log(j === c ? 0.6 : 0.2)));
/** Each sample's cross-entropy, -log p(true class): 0.6 where the prediction is right, 0.2 where wrong. */
const CE = PREDICTED.map((c, i) => -Math.log(c === TRUTH[i] ? 0.6 : 0.2));
/** Keras' weighted loss: sum(w[class] * l) / n (sum over the batch size, not over the weights). */
const weighted = (w: number[], l: number[], cls: number[]) => l.reduce((s, v, i) => s + w[cls[i]] * v, 0) / l.length;

/** The first epoch's loss from one full batch: the loss at the starting weights, before the one step. */
async function firstLoss(model: ReturnType<typeof softmaxScorer>, x: unknown, y: unknown, opts: object) {
  await model.fit(x as number[][], y as number[], { epochs: 1, batchSize: 64, shuffle: false, ...opts });
  return model.history.loss[0];
}

describe.each(TRAINING_BACKENDS)('classWeight on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('weights the loss as computed by hand: by index, by class name, balanced', async () => {
    const byIndex = await firstLoss(softmaxScorer(), X, TRUTH, { classWeight: { 0: 2, 1: 0.5 } });
    expect(byIndex).toBeCloseTo(weighted([2, 0.5, 1], CE, TRUTH), 5);
    const names = ['ant', 'bee', 'cat'];
    const byName = await firstLoss(softmaxScorer(), X, TRUTH, { classNames: names, classWeight: { bee: 0.5, cat: 4 } });
    expect(byName).toBeCloseTo(weighted([1, 0.5, 4], CE, TRUTH), 5);
    // counts 2, 3, 1 of 6: 6 / (3 * count) = 1, 2/3, 2
    const balanced = await firstLoss(softmaxScorer(), X, TRUTH, { classWeight: 'balanced' });
    expect(balanced).toBeCloseTo(weighted([1, 2 / 3, 2], CE, TRUTH), 5);
    const plain = await firstLoss(softmaxScorer(), X, TRUTH, {});
    expect(plain).toBeCloseTo(weighted([1, 1, 1], CE, TRUTH), 5);
    expect(balanced).not.toBeCloseTo(plain, 3);
  });

  it.each(['sigmoid', 'linear'] as const)(
    'binary (%s output): w1 * -log p on positives, w0 * -log(1 - p) on negatives',
    async (act) => {
      const p = [0.9, 0.6, 0.3, 0.2];
      const y = [1, 0, 1, 0];
      const bce = p.map((v, i) => -Math.log(y[i] ? v : 1 - v));
      const loss = await firstLoss(
        binaryScorer(act).compile({ loss: 'binaryCrossentropy' }) as never,
        p.map((v) => [Math.log(v / (1 - v))]),
        y,
        {
          classWeight: { 0: 0.25, 1: 3 },
        },
      );
      expect(loss).toBeCloseTo(weighted([0.25, 3], bce, y), 5);
    },
  );

  it('raises the recall of a rare class on an imbalanced toy set', async () => {
    const { x, y } = imbalanced(400, 0.05, 3);
    const recall = async (opts: object) => {
      const model = sequential({ inputShape: [1], seed: 4 })
        .dense(1, { activation: 'sigmoid' })
        .compile({ metrics: ['recall'], learningRate: 0.1 });
      await model.fit(x, y, { epochs: 20, batchSize: 32, seed: 2, ...opts });
      const r = await model.evaluate(x, y);
      await model.dispose();
      return r.recall;
    };
    const plain = await recall({});
    const balanced = await recall({ classWeight: 'balanced' });
    expect(plain).toBeLessThan(0.3);
    expect(balanced).toBeGreaterThan(0.5);
  });

  it('works with the feature cache: the same first loss cached or not, weighted unlike the plain one', async () => {
    const images = tf.randomUniform([12, 8, 8, 3], 0, 255, 'float32', 3);
    const labels = Array.from({ length: 12 }, (_, i) => (i < 9 ? 0 : 1));
    const first = async (opts: object) => {
      const m = transfer(tinyBase(), { seed: 5, preprocessing: { size: [8, 8], range: [-1, 1] } })
        .freeze()
        .addHead(2);
      await m.fit(images, labels, { epochs: 1, batchSize: 64, seed: 1, ...opts });
      const out = { loss: m.history.loss[0], cached: m.lastFit?.featureCache };
      await m.dispose();
      return out;
    };
    const cached = await first({ classWeight: { 1: 5 } });
    const direct = await first({ classWeight: { 1: 5 }, featureCache: false });
    const plain = await first({});
    images.dispose();
    expect(cached.cached).toBe(true);
    expect(direct.cached).toBe(false);
    expect(cached.loss).toBeCloseTo(direct.loss, 4);
    expect(cached.loss).not.toBeCloseTo(plain.loss, 2);
  });
});

/** One feature, classes N(0, 1) and N(1.5, 1): the rare class a `rare` fraction of the samples. */
function imbalanced(n: number, rare: number, seed: number): { x: number[]; y: number[] } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const y = Array.from({ length: n }, (_, i) => (i < n * rare ? 1 : 0));
  return { x: y.map((c) => gauss() + 1.5 * c), y };
}

function tinyBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3] });
  const conv = tfl.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    strides: 2,
    activation: 'relu',
    kernelInitializer: tfl.initializers.glorotUniform({ seed: 9 }),
  });
  return tfl.model({ inputs: input, outputs: conv.apply(input) as tfl.SymbolicTensor });
}

describe('classWeight: what it refuses, with nothing changed', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each([
    ['an unknown class name', { dog: 2 }, 'UNKNOWN_CLASS', /class names \[ant, bee, cat\].*"dog"/],
    ['an index past the classes', { 3: 2 }, 'LABEL_OUT_OF_RANGE', /0\.\.2.*"3"/],
    ['a negative weight', { 0: -1 }, 'INVALID_OPTION', /finite numbers >= 0.*-1/],
    ['a non-finite weight', { 1: Number.POSITIVE_INFINITY }, 'INVALID_OPTION', /finite numbers >= 0/],
    ['all weights 0', { 0: 0, 1: 0 }, 'INVALID_OPTION', /above 0/],
    ['an unknown string', 'balance', 'INVALID_OPTION', /'balanced' or a record/],
  ])('%s', async (_, classWeight, code, message) => {
    const model = softmaxScorer();
    const before = tf.memory().numTensors;
    const err = await model
      .fit(X, TRUTH, { classNames: ['ant', 'bee', 'cat'], classWeight: classWeight as never })
      .catch((e) => e);
    expect(isGraftError(err, code as never), String(err)).toBe(true);
    expect(err.message).toMatch(message);
    expect(model.history.loss).toHaveLength(0);
    expect(Array.from(await model.net.layers[0].getWeights()[0].data())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a regression or multi-label output is INVALID_OPTION', async () => {
    const reg = sequential({ inputShape: [1] }).dense(1);
    const err = await reg.fit([1, 2], [1, 2], { classWeight: { 0: 1 } }).catch((e) => e);
    expect(isGraftError(err, 'INVALID_OPTION')).toBe(true);
    expect(err.message).toMatch(/single-label classification.*meanSquaredError/);
    const multi = sequential({ inputShape: [1] }).dense(2, { activation: 'sigmoid' });
    const err2 = await multi
      .fit(
        [1, 2],
        [
          [1, 0],
          [1, 1],
        ],
        { classWeight: 'balanced' },
      )
      .catch((e) => e);
    expect(err2.message).toMatch(/binaryCrossentropy.*2 output/);
  });
});
