import { isGraftError, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { softmaxScorer } from './scorers';

const PREDICTED = [0, 0, 1, 2, 2, 1, 1];
const TRUTH = [0, 1, 1, 2, 0, 1, 1];
const X = PREDICTED.map((c) => [0, 1, 2].map((j) => Math.log(j === c ? 0.6 : 0.2)));
/*
 * By hand, rows true, columns predicted: true 0 -> predicted 0, 2; true 1 -> 0, 1, 1, 1; true 2 -> 2.
 * Class 1: support 4, predicted 3 (all right): precision 1, recall 3/4, F1 6/7. Class 0: 1 of 2 predicted right,
 * 1 of 2 found: 1/2 each. Class 2: predicted 2, 1 right: precision 1/2, recall 1, F1 2/3. Accuracy 5/7.
 */
const MATRIX = [
  [1, 0, 1],
  [1, 3, 0],
  [0, 0, 1],
];

describe.each(TRAINING_BACKENDS)('confusionMatrix on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('counts (true, predicted) pairs over every batch, with per-class values and class names', async () => {
    const model = softmaxScorer();
    const names = ['ant', 'bee', 'cat'];
    const cm = await model.confusionMatrix(X, TRUTH, { batchSize: 3 });
    expect(cm.matrix).toEqual(MATRIX);
    expect(cm.total).toBe(7);
    expect(cm.accuracy).toBeCloseTo(5 / 7, 6);
    const bee = cm.perClass[1];
    expect([bee.support, bee.predicted, bee.precision, bee.recall, bee.accuracy]).toEqual([4, 3, 1, 0.75, 0.75]);
    expect(bee.f1).toBeCloseTo(6 / 7, 6);
    expect(cm.perClass[2].precision).toBe(0.5);
    expect(cm.classNames).toEqual(['0', '1', '2']);
    model.classNames = names;
    const named = await model.confusionMatrix(
      X,
      TRUTH.map((i) => names[i]),
    );
    expect(named.matrix).toEqual(MATRIX);
    expect(named.perClass.map((c) => c.name)).toEqual(names);
    const text = named.toString();
    expect(text.split('\n')[0]).toMatch(/true\\pred\s+ant\s+bee\s+cat\s+\|\s+precision\s+recall\s+f1\s+support/);
    expect(text).toMatch(/bee\s+1\s+3\s+0\s+\|\s+1\.000\s+0\.750\s+0\.857\s+4/);
    expect(text).toMatch(/accuracy 0\.7143 over 7 samples/);
    await model.dispose();
  });

  it('a one-unit sigmoid or logit output gives a 2 x 2 matrix at 0.5 (logit 0), leaking nothing', async () => {
    const model = sequential({ inputShape: [1], seed: 1 })
      .dense(1)
      .compile({ loss: 'binaryCrossentropy' });
    model.net.layers[0].setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
    const before = tf.memory().numTensors;
    // logits -2 -0.5 0.3 1 2 with labels 0 1 0 1 1: predicted 0 0 1 1 1
    const cm = await model.confusionMatrix([-2, -0.5, 0.3, 1, 2], [0, 1, 0, 1, 1]);
    expect(tf.memory().numTensors).toBe(before);
    expect(cm.matrix).toEqual([
      [1, 1],
      [1, 2],
    ]);
    await model.dispose();
  });
});

describe('confusionMatrix: what it refuses', () => {
  it('a regression model or unlabelled data', async () => {
    await useBackend('cpu');
    const reg = sequential({ inputShape: [1] }).dense(1);
    const err = await reg.confusionMatrix([1, 2], [1, 2]).catch((e) => e);
    expect(isGraftError(err, 'INVALID_OPTION')).toBe(true);
    expect(err.message).toMatch(/confusionMatrix needs single-label classification/);
    await reg.dispose();
  });
});
