/**
 * Issue 15: every need of the ported peer programs that had no graft line has a one-line equivalent. One test per
 * need, each using the one-liner docs/small-data.md gives and checking what it does against a value worked out
 * here (by hand, or with plain tfjs ops), not only that it runs.
 */
import { embed, sequential, transfer } from '@graftjs/core';
import { binary, fewShot } from '@graftjs/heads';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function closeAll(got: ArrayLike<number>, want: ArrayLike<number>, digits = 5) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], digits);
}

describe('small-data one-liners (issue 15)', () => {
  beforeAll(() => useBackend('cpu'));

  it('augmentation layers act only during fit: `.randomFlip("horizontal")`', async () => {
    const m = sequential({ inputShape: [3, 4, 1], seed: 1 })
      .randomFlip('horizontal')
      .flatten()
      .dense(2, { activation: 'softmax' });
    const x = tf.randomUniform([16, 3, 4, 1], 0, 1, 'float32', 2);
    const [kernel, bias] = m.net.getWeights();
    // inference: the flip is the identity, so the output is the dense layer on x itself
    const want = tf.tidy(() => tf.softmax(tf.add(tf.matMul(tf.reshape(x, [16, 12]), kernel), bias)));
    const got = await m.predictTensor(x);
    closeAll(await got.data(), await want.data());
    // training: each image is itself or its mirror, and some are mirrored
    const flip = m.net.layers[0];
    const out = tf.tidy(() => flip.apply(x, { training: true }) as tf.Tensor);
    const [o, a, b] = await Promise.all([out.array(), x.array(), tf.reverse(x, 2).array()]);
    const mirrored = (o as number[][][][]).map((img, i) => {
      if (JSON.stringify(img) === JSON.stringify((b as number[][][][])[i])) return true;
      expect(img).toEqual((a as number[][][][])[i]);
      return false;
    });
    expect(mirrored.some(Boolean)).toBe(true);
    expect(mirrored.every(Boolean)).toBe(false);
    tf.dispose([x, want, got, out]);
    m.dispose();
  });

  it('a binary logit head: `.dense(1)` + `compile({ loss: "binaryCrossentropy", fromLogits: true })`', async () => {
    const m = sequential({ inputShape: [2] }).dense(1);
    m.compile({ loss: 'binaryCrossentropy', fromLogits: true });
    tf.tidy(() => m.net.setWeights([tf.tensor2d([[1.5], [-2]]), tf.tensor1d([0.25])]));
    const x = [
      [1, 0],
      [0, 1],
      [2, 2],
      [-1, 0.5],
    ];
    const y = [1, 0, 0, 1];
    const z = x.map(([a, b]) => 1.5 * a - 2 * b + 0.25);
    // Keras' BCE from logits: max(z, 0) - z y + log(1 + exp(-|z|)), averaged
    const bce = z.reduce((s, v, i) => s + Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v))), 0) / 4;
    expect((await m.evaluate(x, y)).loss).toBeCloseTo(bce, 5);
    const p = (await m.predict(x, { batch: true })) as { probability: number }[];
    closeAll(
      p.map((q) => q.probability),
      z.map(sigmoid),
    );
    m.dispose();
  });

  it('preprocessing in sequential: `.rescaling(1 / 255).normalization()` then `adapt(data)`', async () => {
    const m = sequential({ inputShape: [2] })
      .rescaling(1 / 255)
      .normalization();
    const x = [
      [0, 255],
      [51, 102],
      [255, 0],
      [102, 51],
    ];
    await m.adapt(x);
    const scaled = x.map((r) => r.map((v) => v / 255));
    const mean = [0, 1].map((j) => scaled.reduce((s, r) => s + r[j], 0) / 4);
    const variance = [0, 1].map((j) => scaled.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / 4);
    const out = await m.predictTensor(tf.tensor2d(x));
    closeAll(
      await out.data(),
      scaled.flatMap((r) => r.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j]))),
    );
    out.dispose();
    m.dispose();
  });

  it('a public feature-extraction call on a base: `base.embed(x)` (the same as `embed(base, x)`)', async () => {
    const base = await mobilenetV1({ alpha: 0.25, inputShape: [32, 32, 3], seed: 3 });
    expect(Object.keys(base)).not.toContain('embed'); // a method, not one of the base's fields
    const x = tf.randomUniform([3, 32, 32, 3], 0, 255, 'float32', 5);
    const before = tf.memory().numTensors;
    const got = await base.embed(x);
    const want = await embed(base, x);
    // by hand: the base up to conv_pw_13_relu on pixels scaled to [-1, 1], averaged over space
    const stem = tfl.model({ inputs: base.model.inputs, outputs: base.model.getLayer('conv_pw_13_relu').output });
    const hand = tf.tidy(() => tf.mean(stem.predict(tf.sub(tf.div(x, 127.5), 1)) as tf.Tensor, [1, 2]));
    expect(got.shape).toEqual([3, 256]); // 1024 x alpha 0.25 channels
    closeAll(await got.data(), await hand.data(), 4);
    expect(await got.data()).toEqual(await want.data());
    tf.dispose([got, want, hand]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    base.model.dispose();
  });

  it("head bias and initialiser control: `binary({ biasInitializer: Math.log(pos / neg) })`, 'varianceScaling'", async () => {
    const base = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3] })] });
    // Keras' imbalanced-data example: the output bias starts at log(pos / neg), so P(positive) starts at pos / total
    const m = transfer(base)
      .freeze()
      .addHead(binary({ biasInitializer: Math.log(1 / 9), kernelInitializer: 'zeros' }));
    const p = (await m.predict([[1, 2, 3]], { batch: true })) as { probability: number }[];
    expect(p[0].probability).toBeCloseTo(0.1, 6);
    const noBias = transfer(base)
      .freeze()
      .addHead(binary({ useBias: false }));
    const head = noBias.net.layers.at(-1) as tfl.LayersModel;
    expect(head.getLayer('head_output').weights.map((w) => w.shape)).toEqual([[4, 1]]);
    // 'varianceScaling' with tfjs' defaults (scale 1, fanIn, truncated normal): sigma = sqrt(1 / fanIn), cut at
    // 2 sigma, so the values' std is 0.8796 sigma (Keras 2.3+ divides sigma by 0.8796 first; tfjs does not)
    const wide = sequential({ inputShape: [400] }).dense(50, { kernelInitializer: 'varianceScaling' });
    const k = (await wide.net.getWeights()[0].data()) as Float32Array;
    const sigma = Math.sqrt(1 / 400);
    const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
    expect(std / sigma).toBeGreaterThan(0.85);
    expect(std / sigma).toBeLessThan(0.91);
    expect(Math.max(...Array.from(k, Math.abs))).toBeLessThanOrEqual(2 * sigma + 1e-6);
    for (const model of [m, noBias, wide]) model.dispose();
    base.dispose();
  });

  it('output-layer options: a constant bias on a sequential dense; bad values refused with a code', async () => {
    const m = sequential({ inputShape: [2] }).dense(3, { biasInitializer: 0.5 });
    expect(Array.from(await m.net.getWeights()[1].data())).toEqual([0.5, 0.5, 0.5]);
    m.dispose();
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(codeOf(() => binary({ useBias: 'no' as never }))).toBe('INVALID_HEAD');
    expect(codeOf(() => binary({ biasInitializer: Number.NaN }))).toBe('INVALID_HEAD');
    expect(codeOf(() => binary({ kernelInitializer: 'glorot' as never }))).toBe('INVALID_HEAD');
    expect(codeOf(() => binary({ useBias: false, biasInitializer: 0 }))).toBe('INVALID_HEAD');
    expect(codeOf(() => sequential({ inputShape: [2] }).dense(3, { biasInitializer: Number.POSITIVE_INFINITY }))).toBe(
      'INVALID_LAYER',
    );
  });

  it('metrics beyond accuracy: `compile({ metrics: ["precision", "recall", "auc", "truePositives"] })`', async () => {
    const m = sequential({ inputShape: [1] }).dense(1, { activation: 'sigmoid' });
    m.compile({ metrics: ['precision', 'recall', 'auc', 'truePositives'] });
    tf.tidy(() => m.net.setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]));
    // scores sigmoid(x): 0.12, 0.27, 0.38, 0.62, 0.73, 0.88 (one per threshold bin: the ROC points are exact)
    const x = [-2, -1, -0.5, 0.5, 1, 2].map((v) => [v]);
    const y = [0, 1, 0, 1, 0, 1];
    const r = await m.evaluate(x, y);
    // predicted positive above 0.5: rows 3, 4, 5 -> TP 2 (rows 3, 5), FP 1, FN 1 (row 1)
    expect(r.truePositives).toBe(2);
    expect(r.precision).toBeCloseTo(2 / 3, 5);
    expect(r.recall).toBeCloseTo(2 / 3, 5);
    // ROC AUC = P(score of a positive > score of a negative): pairs (pos, neg) ordered right, of 9
    const pos = [1, 3, 5];
    const neg = [0, 2, 4];
    const right = pos.reduce((s, i) => s + neg.filter((j) => x[i][0] > x[j][0]).length, 0);
    expect(r.auc).toBeCloseTo(right / 9, 2);
    m.dispose();
  });

  it("class weights: `fit(x, y, { classWeight: 'balanced' })` finds more of the rare class", async () => {
    // 90 negatives around 0, 10 positives around 1.2, overlapping
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      const positive = i % 10 === 0;
      x.push([(positive ? 1.2 : 0) + Math.sin(i * 12.9898) * 1.1]);
      y.push(positive ? 1 : 0);
    }
    const recall = async (options: object) => {
      const m = sequential({ inputShape: [1], seed: 1 }).dense(1, { activation: 'sigmoid' });
      m.compile({ learningRate: 0.05, metrics: ['recall'] });
      await m.fit(x, y, { epochs: 60, seed: 1, ...options });
      const r = (await m.evaluate(x, y)).recall;
      m.dispose();
      return r;
    };
    const plain = await recall({});
    const balanced = await recall({ classWeight: 'balanced' });
    expect(plain).toBeLessThan(0.5);
    expect(balanced).toBeGreaterThan(plain + 0.3);
  });

  it('a kNN classifier: `fewShot(base)` with `addExample` and `predict` (cosine)', async () => {
    // an identity base: the embeddings are the inputs, so the nearest example is known by hand
    const base = tfl.sequential({
      layers: [tfl.layers.dense({ units: 3, inputShape: [3], useBias: false, kernelInitializer: 'identity' })],
    });
    const knn = fewShot(base, { k: 1 });
    await knn.addExample(tf.tensor2d([[1, 0, 0]]), 'east');
    await knn.addExample(tf.tensor2d([[0, 1, 0]]), 'north');
    await knn.addExample(tf.tensor2d([[0, 0, 1]]), 'up');
    // [3, 4, 0.5] is nearest to north in angle (cos 0.79 vs 0.59 and 0.1), though not in length
    const p = await knn.predict(tf.tensor1d([3, 4, 0.5]));
    expect(Array.isArray(p) ? p[0].label : p.label).toBe('north');
    knn.dispose();
    base.dispose();
  });

  it('residual add and SeparableConv2D: `.residual((b) => b.separableConv2d(2, 3, { padding: "same" }))`', async () => {
    const m = sequential({ inputShape: [5, 5, 2], seed: 2 }).residual((b) =>
      b.separableConv2d(2, 3, { padding: 'same' }),
    );
    const x = tf.randomUniform([2, 5, 5, 2], -1, 1, 'float32', 6);
    const sep = m.net.layers.flatMap((l) => l.weights).filter((w) => /separable/.test(w.originalName));
    const [depthwise, pointwise, bias] = ['depthwise', 'pointwise', 'bias'].map((n) => {
      const w = sep.find((v) => v.originalName.includes(n));
      if (!w) throw new Error(`no ${n} weight`);
      return w.read();
    });
    const want = tf.tidy(() =>
      tf.add(
        x,
        tf.add(
          tf.separableConv2d(x as tf.Tensor4D, depthwise as tf.Tensor4D, pointwise as tf.Tensor4D, 1, 'same'),
          bias,
        ),
      ),
    );
    const got = await m.predictTensor(x);
    closeAll(await got.data(), await want.data(), 4);
    tf.dispose([x, want, got]);
    m.dispose();
  });

  it('a custom training step: `model.trainOnBatch(x, y, { loss })` with a loss of your own', async () => {
    const { x, y } = { x: [[0], [1], [2], [3]], y: [0, 0, 1, 1] };
    const m = sequential({ inputShape: [1], seed: 3 }).dense(1, { activation: 'sigmoid' });
    m.compile({ learningRate: 0.1 });
    // a focal-style loss: (1 - p_t)^2 * BCE
    const focal = (yTrue: tf.Tensor, yPred: tf.Tensor) => {
      const t = tf.reshape(yTrue, yPred.shape);
      const pt = tf.add(tf.mul(t, yPred), tf.mul(tf.sub(1, t), tf.sub(1, yPred)));
      return tf.mul(tf.square(tf.sub(1, pt)), tf.neg(tf.log(tf.clipByValue(pt, 1e-7, 1))));
    };
    const focalOf = async () => {
      const p = tf.tidy(() => m.net.predict(tf.tensor2d(x)) as tf.Tensor);
      const l = tf.tidy(() => tf.mean(focal(tf.tensor1d(y), p)));
      const v = (await l.data())[0];
      tf.dispose([p, l]);
      return v;
    };
    const start = await focalOf();
    const first = await m.trainOnBatch(x, y, { loss: focal });
    // the step reports the loss of the output before its update
    expect(first.loss).toBeCloseTo(start, 5);
    for (let i = 0; i < 40; i++) await m.trainOnBatch(x, y, { loss: focal });
    expect(await focalOf()).toBeLessThan(start / 2);
    m.dispose();
  });
});
