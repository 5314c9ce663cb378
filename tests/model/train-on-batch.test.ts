/**
 * `model.trainOnBatch(x, y, { loss })` (issue 15: "a custom training step"; Keras `train_on_batch`, and what a
 * `train_step` override computes): one SGD step checked against the gradient worked out by hand in plain
 * JavaScript, for the model's own loss and for a loss of the caller's; a user loop that learns; a frozen base
 * left alone; coded errors that update nothing and leave the model usable; no leaks.
 */
import { Dataset, GraftError, isGraftError, sequential, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';

const X = [
  [1, 0.5, -1, 2],
  [0, -1, 0.5, 1],
  [2, 1, 1, -0.5],
];
const Y = [2, 0, 1];
const W = [
  [0.1, -0.2, 0.3],
  [0.0, 0.4, -0.1],
  [-0.3, 0.2, 0.1],
  [0.2, 0.1, -0.4],
];
const B = [0.05, -0.05, 0.1];
const LR = 0.1;

/** Softmax regression by hand: the cross-entropy loss and the SGD-updated kernel and bias. */
function handStep(x: number[][], y: number[], w: number[][], b: number[]) {
  const n = x.length;
  const gw = w.map((row) => row.map(() => 0));
  const gb = b.map(() => 0);
  let loss = 0;
  let right = 0;
  x.forEach((row, i) => {
    const logits = b.map((bj, j) => bj + row.reduce((s, v, k) => s + v * w[k][j], 0));
    const top = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - top));
    const sum = e.reduce((a, c) => a + c, 0);
    const p = e.map((v) => v / sum);
    loss -= Math.log(p[y[i]]) / n;
    if (logits.indexOf(top) === y[i]) right++;
    p.forEach((pj, j) => {
      const d = (pj - (j === y[i] ? 1 : 0)) / n;
      gb[j] += d;
      row.forEach((v, k) => {
        gw[k][j] += v * d;
      });
    });
  });
  return {
    loss,
    accuracy: right / n,
    w: w.map((row, k) => row.map((v, j) => v - LR * gw[k][j])),
    b: b.map((v, j) => v - LR * gb[j]),
  };
}

function softmaxModel() {
  const m = sequential({ inputShape: [4] }).dense(3, { activation: 'softmax' });
  m.compile({ optimizer: 'sgd', learningRate: LR, metrics: ['accuracy'] });
  tf.tidy(() => m.net.setWeights([tf.tensor2d(W), tf.tensor1d(B)]));
  return m;
}

async function weights(net: tfl.LayersModel): Promise<number[][]> {
  return Promise.all(net.weights.map(async (v) => Array.from(await v.read().data())));
}

function expectClose(got: number[], want: number[], digits = 5) {
  expect(got).toHaveLength(want.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(want[i], digits);
  });
}

describe.each(TRAINING_BACKENDS)('trainOnBatch on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it("one SGD step with the model's loss: the kernel, bias and loss a hand-computed gradient gives", async () => {
    const m = softmaxModel();
    const out = await m.trainOnBatch(X, Y);
    const want = handStep(X, Y, W, B);
    expect(out.loss).toBeCloseTo(want.loss, 5);
    // accuracy of the output before the update, as Keras reports it
    expect(Object.keys(out)).toEqual(['loss', 'accuracy']);
    expect(out.accuracy).toBeCloseTo(want.accuracy, 6);
    const [k, b] = await weights(m.net);
    expectClose(k, want.w.flat());
    expectClose(b, want.b);
    // a second step continues from the updated weights
    const out2 = await m.trainOnBatch(X, Y);
    const want2 = handStep(X, Y, want.w, want.b);
    expect(out2.loss).toBeCloseTo(want2.loss, 5);
    expect(out2.accuracy).toBeCloseTo(want2.accuracy, 6);
    expectClose((await weights(m.net))[0], want2.w.flat());
    m.dispose();
  });

  it("a loss of the caller's (mean absolute error, per sample): the step follows its gradient, sign(pred - y) x / n", async () => {
    const m = sequential({ inputShape: [4] }).dense(1);
    m.compile({ optimizer: 'sgd', learningRate: LR });
    const w = [0.5, -0.25, 0.1, 0.3];
    tf.tidy(() => m.net.setWeights([tf.tensor2d(w, [4, 1]), tf.tensor1d([0.2])]));
    const y = [0.7, -2.5, 3.25];
    const mae = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.abs(tf.sub(tf.reshape(yTrue, yPred.shape), yPred));
    const out = await m.trainOnBatch(X, y, { loss: mae });
    const pred = X.map((row) => 0.2 + row.reduce((s, v, k) => s + v * w[k], 0));
    const sign = pred.map((p, i) => Math.sign(p - y[i]));
    expect(out.loss).toBeCloseTo(pred.reduce((s, p, i) => s + Math.abs(p - y[i]), 0) / 3, 5);
    const [k, b] = await weights(m.net);
    expectClose(
      k,
      w.map((v, j) => v - (LR * X.reduce((s, row, i) => s + sign[i] * row[j], 0)) / 3),
    );
    expectClose(b, [0.2 - (LR * sign.reduce((a, c) => a + c, 0)) / 3]);
    m.dispose();
  });

  it('a training loop of your own: seeded batches, Adam state carried between calls, the model learns', async () => {
    const { x, y } = blobs(90);
    const m = sequential({ inputShape: [4], seed: 2 })
      .dense(8, { activation: 'relu' })
      .dense(3, {
        activation: 'softmax',
      });
    m.compile({ learningRate: 0.05 });
    const first = await m.trainOnBatch(x.slice(0, 30), y.slice(0, 30));
    const before = tf.memory().numTensors;
    let last = first;
    for (let epoch = 0; epoch < 10; epoch++)
      for (let lo = 0; lo < 90; lo += 30) last = await m.trainOnBatch(x.slice(lo, lo + 30), y.slice(lo, lo + 30));
    // no tensor is left behind per step (the optimizer's state was made by the first step)
    expect(tf.memory().numTensors).toBe(before);
    expect(last.loss).toBeLessThan(first.loss / 3);
    expect((await m.evaluate(x, y)).accuracy).toBeGreaterThan(0.95);
    // a fit afterwards keeps working on the same model
    await m.fit(x, y, { epochs: 1 });
    m.dispose();
  });

  it('a transfer model with a frozen base trains its head only; string labels set the class names', async () => {
    const base = tfl.sequential({
      layers: [tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' })],
    });
    const m = transfer(base, { seed: 3, preprocessing: { size: [8, 8], range: [0, 1] } })
      .freeze()
      .addHead(2);
    const baseBefore = await weights(base);
    const x = tf.randomUniform([6, 8, 8, 3], 0, 255, 'float32', 4);
    const headBefore = await weights(m.net.layers.at(-1) as tfl.LayersModel);
    await m.trainOnBatch(x, ['cat', 'dog', 'cat', 'dog', 'cat', 'dog']);
    expect(await weights(base)).toEqual(baseBefore);
    expect(await weights(m.net.layers.at(-1) as tfl.LayersModel)).not.toEqual(headBefore);
    expect(m.classNames).toEqual(['cat', 'dog']);
    x.dispose();
    m.dispose();
    base.dispose();
  });

  it('refuses bad calls with a code, updates nothing, and the model stays usable', async () => {
    const m = softmaxModel();
    const code = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(GraftError);
      return isGraftError(e) ? e.code : null;
    };
    const before = tf.memory().numTensors;
    const w0 = await weights(m.net);
    expect(await code(m.trainOnBatch(X, Y, { loss: 'mae' as never }))).toBe('INVALID_OPTION');
    expect(await code(m.trainOnBatch(X, Y, { lr: 1 } as never))).toBe('INVALID_OPTION');
    expect(await code(m.trainOnBatch(X, Y, { loss: () => 3 as never }))).toBe('INVALID_OPTION');
    expect(await code(m.trainOnBatch(X, Y, { loss: () => tf.scalar(1) }))).toBe('INVALID_OPTION');
    expect(await code(m.trainOnBatch(X, Y, { loss: (_t, p) => tf.div(tf.sum(p), 0) }))).toBe('NON_FINITE_LOSS');
    expect(await code(m.trainOnBatch(X, [0, 1]))).toBe('LENGTH_MISMATCH');
    expect(await code(m.trainOnBatch([[1, 2]], [0]))).toBe('SHAPE_MISMATCH');
    const unlabelled = Dataset.from(X);
    expect(await code(m.trainOnBatch(unlabelled))).toBe('INVALID_LABEL');
    unlabelled.dispose();
    expect(
      await code(
        m.trainOnBatch(X, Y, {
          loss: () => {
            throw new GraftError('INVALID_DATA', 'the loss of the caller failed');
          },
        }),
      ),
    ).toBe('INVALID_DATA');
    const fitting = m.fit(X, Y, { epochs: 2, seed: 1 });
    expect(await code(m.trainOnBatch(X, Y))).toBe('FIT_IN_PROGRESS');
    await fitting;
    // nothing half-changed by the refused calls: the weights are what the fit alone made of them
    const probe = softmaxModel();
    await probe.fit(X, Y, { epochs: 2, seed: 1 });
    expect(await weights(m.net)).toEqual(await weights(probe.net));
    expect(w0).not.toEqual(await weights(m.net));
    probe.dispose();
    // still usable
    expect((await m.trainOnBatch(X, Y)).loss).toBeGreaterThan(0);
    m.dispose();
    expect(await code(m.trainOnBatch(X, Y))).toBe('MODEL_DISPOSED');
    expect(tf.memory().numTensors).toBe(before - 2);
  });
});
