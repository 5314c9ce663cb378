import { type ClassPrediction, Dataset, type RegressionPrediction, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { blobs, halves, weightsOf } from '../helpers/data';

describe.each(TRAINING_BACKENDS)('sequential() on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('trains a classifier; fit resolves to the model and history grows per epoch', async () => {
    const { x, y } = blobs(300);
    const model = sequential({ inputShape: [4], seed: 1 })
      .dense(16, { activation: 'relu' })
      .dense(3, { activation: 'softmax' });
    const same = await model.fit(x, y, { epochs: 5, batchSize: 16, learningRate: 0.02, validationSplit: 0.2, seed: 2 });
    expect(same).toBe(model);
    expect(model.history.loss).toHaveLength(5);
    expect(model.history.accuracy).toHaveLength(5);
    expect(model.history.valLoss).toHaveLength(5);
    expect(model.history.valAccuracy).toHaveLength(5);
    expect(model.history.loss[4]).toBeLessThan(model.history.loss[0]);
    await model.fit(x, y, { epochs: 2 });
    expect(model.history.loss).toHaveLength(7);
    const { accuracy, loss } = await model.evaluate(x, y);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(loss).toBeLessThan(0.5);
    const p = (await model.predict(x[1])) as ClassPrediction;
    expect(p.index).toBe(1);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const many = (await model.predict(x.slice(0, 6))) as ClassPrediction[];
    expect(many.map((q) => q.index)).toEqual(y.slice(0, 6));
    await model.dispose();
  });

  it('keeps string class names and predicts them', async () => {
    const { x, y } = blobs(150);
    const names = ['cat', 'dog', 'emu'];
    const model = sequential({ inputShape: [4], seed: 1 }).dense(3, { activation: 'softmax' });
    await model.fit(
      x,
      y.map((i) => names[i]),
      { epochs: 20, batchSize: 8, learningRate: 0.05, seed: 1 },
    );
    expect(model.classNames).toEqual(names);
    const p = (await model.predict(x[2])) as ClassPrediction;
    expect(p.label).toBe('emu');
    await model.dispose();
  });

  it('picks categorical cross-entropy for one-hot labels and matches a hand computation', async () => {
    const { x, y } = blobs(60);
    const oneHot = y.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    const model = sequential({ inputShape: [4], seed: 5 }).dense(3, { activation: 'softmax' });
    const { loss } = await model.evaluate(x, oneHot);
    const probs = tf.tidy(() => model.net.predict(tf.tensor2d(x)) as tf.Tensor);
    const p = (await probs.array()) as number[][];
    probs.dispose();
    const manual = -p.reduce((s, row, i) => s + Math.log(row[y[i]]), 0) / p.length;
    expect(loss).toBeCloseTo(manual, 4);
    await model.dispose();
  });

  it('uses binary cross-entropy for sigmoid and mean squared error for linear outputs', async () => {
    const { x, y } = blobs(120);
    const binary = y.map((c) => (c === 0 ? 1 : 0));
    const clf = sequential({ inputShape: [4], seed: 3 }).dense(1, { activation: 'sigmoid' });
    await clf.fit(x, binary, { epochs: 30, batchSize: 16, learningRate: 0.05, seed: 1 });
    expect((await clf.evaluate(x, binary)).accuracy).toBeGreaterThan(0.9);
    const xs = Array.from({ length: 64 }, (_, i) => [i / 64]);
    const ys = xs.map(([v]) => [2 * v + 1]);
    const reg = sequential({ inputShape: [1], seed: 3 }).dense(1);
    await reg.fit(xs, ys, { epochs: 60, batchSize: 8, learningRate: 0.05, seed: 1 });
    const out = (await reg.predict([0.5])) as RegressionPrediction;
    expect(out.value[0]).toBeCloseTo(2, 1);
    expect(reg.history.accuracy).toBeUndefined();
    await clf.dispose();
    await reg.dispose();
  });

  it('gives identical weights for the same seeds and different ones for another seed', async () => {
    const { x, y } = blobs(90);
    const run = async (fitSeed: number) => {
      const m = sequential({ inputShape: [4], seed: 11 })
        .dense(8, { activation: 'relu' })
        .dropout(0.3)
        .dense(3, { activation: 'softmax' });
      await m.fit(x, y, { epochs: 3, batchSize: 10, seed: fitSeed, validationSplit: 0.2 });
      const w = await weightsOf(m.net);
      await m.dispose();
      return w.flat();
    };
    const a = await run(4);
    const b = await run(4);
    const c = await run(5);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('stops early and restores the best weights', async () => {
    const { x, y } = blobs(120);
    const model = sequential({ inputShape: [4], seed: 1 }).dense(3, { activation: 'softmax' });
    const all = Dataset.from(x, y);
    const [tr, va] = await all.split(0.3, { seed: 1 });
    let epochsSeen = 0;
    // minDelta this large means only the first epoch counts as an improvement
    await model.fit(tr, {
      epochs: 40,
      learningRate: 0.05,
      validationData: va,
      earlyStopping: { patience: 2, minDelta: 100, restoreBestWeights: true },
      onEpochEnd: () => {
        epochsSeen++;
      },
      seed: 1,
    });
    expect(model.lastFit?.stoppedBy).toBe('earlyStopping');
    expect(epochsSeen).toBe(3);
    expect(model.history.valLoss[2]).toBeLessThan(model.history.valLoss[0]);
    const now = await model.evaluate(va);
    expect(now.loss).toBeCloseTo(model.history.valLoss[0], 4);
    for (const d of [all, tr, va]) d.dispose();
    await model.dispose();
  });

  it('aborts at the next batch and leaves a usable model', async () => {
    const { x, y } = blobs(300);
    const model = sequential({ inputShape: [4], seed: 1 })
      .dense(8, { activation: 'relu' })
      .dense(3, { activation: 'softmax' });
    const controller = new AbortController();
    let batches = 0;
    await model.fit(x, y, {
      epochs: 50,
      batchSize: 10,
      signal: controller.signal,
      onBatchEnd: () => {
        batches++;
        if (batches === 45) controller.abort();
      },
    });
    expect(model.lastFit?.stoppedBy).toBe('aborted');
    expect(batches).toBe(45);
    expect(model.history.loss).toHaveLength(1);
    const p = (await model.predict(x[0])) as ClassPrediction;
    expect(p.probabilities).toHaveLength(3);
    await model.dispose();
  });

  it('calls callbacks and reports progress with an ETA', async () => {
    const { x, y } = blobs(100);
    const model = sequential({ inputShape: [4], seed: 1 }).dense(3, { activation: 'softmax' });
    const epochs: number[] = [];
    const batchLosses: number[] = [];
    const progress: { fraction: number; etaSeconds: number }[] = [];
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 25,
      onEpochEnd: (e, logs) => {
        epochs.push(e);
        expect(logs.loss).toBeGreaterThan(0);
      },
      onBatchEnd: (_b, logs) => {
        batchLosses.push(logs.loss);
      },
      onProgress: (e) => progress.push(e),
    });
    expect(epochs).toEqual([0, 1, 2]);
    expect(batchLosses).toHaveLength(12);
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(progress[0].etaSeconds).toBeGreaterThan(0);
    await model.dispose();
  });

  it('trains a CNN with every image layer type', async () => {
    const { x, y } = halves(40);
    const model = sequential({ inputShape: [8, 8, 1], seed: 2 })
      .conv2d(4, 3, { activation: 'relu', padding: 'same' })
      .batchNorm({ momentum: 0.8 })
      .depthwiseConv2d(3, { padding: 'same' })
      .activation('relu6')
      .maxPool2d(2)
      .avgPool2d(2, { strides: 1 })
      .dropout(0.1)
      .reshape([-1])
      .reshape([3, 3, 4])
      .globalAvgPool2d()
      .dense(2, { activation: 'softmax' });
    await model.fit(x, y, { epochs: 15, batchSize: 8, learningRate: 0.01, seed: 1 });
    expect(model.history.loss.at(-1)).toBeLessThan(model.history.loss[0]);
    expect((await model.evaluate(x, y)).accuracy).toBeGreaterThan(0.8);
    await model.dispose();
  });
});
