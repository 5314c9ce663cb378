import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { weightsOf } from '../helpers/data';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** dense(1) with no activation: logit = 2x - 1. */
function linearBinary() {
  const model = sequential({ inputShape: [1], seed: 1 }).dense(1);
  model.net.layers[0].setWeights([tf.tensor2d([[2]]), tf.tensor1d([-1])]);
  return model;
}

describe.each(TRAINING_BACKENDS)('fromLogits (Keras from_logits) on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('a linear dense(1) with binaryCrossentropy reads logits: loss, accuracy and predict', async () => {
    const model = linearBinary().compile({ loss: 'binaryCrossentropy' });
    const x = [-1, 0.6, 2, 0.3];
    const y = [0, 1, 1, 1];
    const logits = x.map((v) => 2 * v - 1);
    const expected = -logits.map((z, i) => Math.log(y[i] ? sigmoid(z) : 1 - sigmoid(z))).reduce((a, b) => a + b) / 4;
    const r = await model.evaluate(x, y);
    expect(r.loss).toBeCloseTo(expected, 5);
    expect(r.accuracy).toBeCloseTo(0.75, 6); // 0.3 gives logit -0.4: predicted 0
    const p = (await model.predict([0.6])) as ClassPrediction & { probability: number };
    expect(p.probability).toBeCloseTo(sigmoid(0.2), 5);
    expect(p.index).toBe(1); // the logit 0.2 as a probability would have been below 0.5
    await model.dispose();
  });

  it('the same with an explicit fromLogits: true, and training gets a gradient outside (0, 1)', async () => {
    const model = sequential({ inputShape: [1], seed: 1 })
      .dense(1)
      .compile({ loss: 'binaryCrossentropy', fromLogits: true });
    const x = [-3, -2, -1.5, -1, 1, 1.5, 2, 3];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    await model.fit(x, y, { epochs: 30, learningRate: 0.1, batchSize: 8 });
    expect(model.history.loss.at(-1)).toBeLessThan(model.history.loss[0] / 2);
    expect(model.history.accuracy.at(-1)).toBe(1);
    const far = (await model.predict([3])) as ClassPrediction & { probability: number };
    expect(far.probability).toBeGreaterThan(0.9);
    expect(far.probability).toBeLessThan(1);
    await model.dispose();
  });

  it('a linear dense(3) with sparseCategoricalCrossentropy: softmax of logits', async () => {
    const model = sequential({ inputShape: [3], seed: 1 })
      .dense(3)
      .compile({ loss: 'sparseCategoricalCrossentropy' });
    model.net.layers[0].setWeights([tf.mul(tf.eye(3), 3), tf.zeros([3])]);
    const x = [
      [1, 0, 0],
      [0, 1, 0],
    ];
    const r = await model.evaluate(x, [0, 2]);
    const p0 = Math.exp(3) / (Math.exp(3) + 2);
    const p2 = 1 / (Math.exp(3) + 2);
    expect(r.loss).toBeCloseTo(-(Math.log(p0) + Math.log(p2)) / 2, 4);
    const pred = (await model.predict([1, 0, 0])) as ClassPrediction;
    expect(pred.probabilities[0]).toBeCloseTo(p0, 5);
    expect(pred.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    // the softmax-of-logits loss has a gradient: training lowers it
    await model.fit(x, [0, 2], { epochs: 5, learningRate: 0.1, batchSize: 2 });
    expect(model.history.loss.at(-1)).toBeLessThan(model.history.loss[0]);
    await model.dispose();
  });

  it('contradictions are INCOMPATIBLE_LOSS before training; nothing changes', async () => {
    const soft = sequential({ inputShape: [1], seed: 1 }).dense(2, { activation: 'softmax' });
    soft.compile({ loss: 'sparseCategoricalCrossentropy', fromLogits: true });
    const before = await weightsOf(soft.net);
    const tensors = tf.memory().numTensors;
    await expect(soft.fit([1, 2], [0, 1], { epochs: 1 })).rejects.toMatchObject({ code: 'INCOMPATIBLE_LOSS' });
    expect(await weightsOf(soft.net)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    const lin = linearBinary().compile({ loss: 'binaryCrossentropy', fromLogits: false });
    await expect(lin.fit([1, 2], [0, 1], { epochs: 1 })).rejects.toMatchObject({ code: 'INCOMPATIBLE_LOSS' });
    const mse = linearBinary().compile({ loss: 'meanSquaredError', fromLogits: true });
    await expect(mse.fit([1, 2], [0, 1], { epochs: 1 })).rejects.toMatchObject({ code: 'INCOMPATIBLE_LOSS' });
    expect(() => lin.compile({ fromLogits: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    await soft.dispose();
    await lin.dispose();
    await mse.dispose();
  });

  it('class labels on a regression output are refused', async () => {
    const model = sequential({ inputShape: [1], seed: 1 }).dense(1);
    await expect(model.fit([1, 2], ['cat', 'dog'], { epochs: 1 })).rejects.toMatchObject({ code: 'INVALID_LABEL' });
    expect(model.classNames).toBeUndefined();
    await model.dispose();
  });

  it('a saved logits model predicts probabilities after loading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graft-logits-'));
    try {
      const model = linearBinary().compile({ loss: 'binaryCrossentropy' });
      await model.fit([-1, 1], ['no', 'yes'], { epochs: 1, learningRate: 1e-9 });
      await model.save(dir);
      const loaded = await loadModel(dir);
      const p = (await loaded.predict([0.6])) as ClassPrediction & { probability: number };
      expect(p.probability).toBeCloseTo(sigmoid(0.2), 4);
      expect(p.label).toBe('yes');
      await model.dispose();
      await loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
