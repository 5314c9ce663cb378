import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGraftError, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';
import { binaryScorer, softmaxScorer } from './scorers';

const logit = (p: number) => Math.log(p / (1 - p));

/*
 * Binary, by hand. Scores 0.9 0.6 0.3 0.2 0.7, labels 1 0 1 0 0. At 0.5 the decisions are 1 1 0 0 1:
 * TP 1 (0.9), FP 2 (0.6, 0.7), FN 1 (0.3), TN 1 (0.2). Precision 1/3, recall 1/2, F1 2PR/(P+R) = 0.4.
 * ROC AUC: of the 2 x 3 (positive, negative) pairs the positive scores higher in 4 (0.9 > all three, 0.3 > 0.2).
 * PR AUC, Keras' interpolation over the thresholds where the counts change (P = TP + FP, 2 positives):
 * P 4 -> 3 with TP 2 -> 1: slope 1, intercept 1 - 3 = -2, adds (1 - 2 ln(4/3)) / 2; P 1 -> 0 with TP 1 -> 0:
 * slope 1, intercept 0, adds 1/2; the other steps change no TP and add 0.
 */
const SCORES = [0.9, 0.6, 0.3, 0.2, 0.7];
const LABELS = [1, 0, 1, 0, 0];
const BINARY = {
  truePositives: 1,
  falsePositives: 2,
  falseNegatives: 1,
  trueNegatives: 1,
  precision: 1 / 3,
  recall: 1 / 2,
  f1: 0.4,
  auc: 4 / 6,
  prAuc: 0.5 + (1 - 2 * Math.log(4 / 3)) / 2,
};
const BINARY_NAMES = Object.keys(BINARY) as (keyof typeof BINARY)[];

/*
 * Multi-class, by hand. Predicted (argmax) 0 0 1 2 2 1, true 0 1 1 2 0 1. Per class (one-vs-rest):
 * class 0: TP 1, FP 1, FN 1 -> P 1/2, R 1/2, F1 1/2; class 1: TP 2, FP 0, FN 1 -> P 1, R 2/3, F1 0.8;
 * class 2: TP 1, FP 1, FN 0 -> P 1/2, R 1, F1 2/3. Macro means: P 2/3, R 13/18, F1 (1/2 + 0.8 + 2/3) / 3.
 * Pooled: TP 4 (the correct ones), FP 2, FN 2, TN 3 x 6 - 8 = 10.
 */
const PREDICTED = [0, 0, 1, 2, 2, 1];
const TRUTH = [0, 1, 1, 2, 0, 1];
const MULTI = {
  truePositives: 4,
  falsePositives: 2,
  falseNegatives: 2,
  trueNegatives: 10,
  precision: 2 / 3,
  recall: 13 / 18,
  f1: (0.5 + 0.8 + 2 / 3) / 3,
};
/** Log-probability rows whose argmax is `PREDICTED` (0.6 on the predicted class, 0.2 elsewhere). */
const MULTI_X = PREDICTED.map((c) => [0, 1, 2].map((j) => Math.log(j === c ? 0.6 : 0.2)));

/** Exact ROC AUC by counting (positive, negative) pairs: the reference the 200-threshold AUC approximates. */
function pairAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((t, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe.each(TRAINING_BACKENDS)('count metrics on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each(['sigmoid', 'linear'] as const)(
    'binary (%s output) against hand-computed counts, any batch size',
    async (act) => {
      const model = binaryScorer(act).compile({ loss: 'binaryCrossentropy', metrics: BINARY_NAMES });
      const x = SCORES.map(logit);
      for (const batchSize of [5, 2, 1]) {
        const r = await model.evaluate(x, LABELS, { batchSize });
        for (const k of BINARY_NAMES) expect(r[k], `${k} at batchSize ${batchSize}`).toBeCloseTo(BINARY[k], 5);
      }
      await model.dispose();
    },
  );

  it('multi-class (softmax; class indices and one-hot rows) against hand-computed macro values', async () => {
    const names = Object.keys(MULTI) as (keyof typeof MULTI)[];
    const sparse = softmaxScorer().compile({ metrics: names });
    const oneHot = softmaxScorer().compile({ loss: 'categoricalCrossentropy', metrics: names });
    const rows = TRUTH.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
    for (const r of [await sparse.evaluate(MULTI_X, TRUTH, { batchSize: 4 }), await oneHot.evaluate(MULTI_X, rows)]) {
      for (const k of names) expect(r[k], k).toBeCloseTo(MULTI[k], 5);
    }
    await sparse.dispose();
    await oneHot.dispose();
  });

  it('multi-class auc pools (sample, class) pairs one-vs-rest and matches the exact pair count', async () => {
    const model = softmaxScorer().compile({ metrics: ['auc'] });
    const { x, probs } = spreadRows(12);
    const y = Array.from({ length: 12 }, (_, i) => i % 3);
    const flatLabels = y.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
    const r = await model.evaluate(x, y, { batchSize: 5 });
    expect(r.auc).toBeCloseTo(pairAuc(probs.flat(), flatLabels), 2);
    await model.dispose();
  });

  it('history names them, with val* for validation, and counts leak no tensors', async () => {
    const { x, y } = blobs(60);
    const model = sequential({ inputShape: [4], seed: 2 })
      .dense(3, { activation: 'softmax' })
      .compile({ metrics: ['accuracy', 'precision', 'recall', 'f1', 'auc'] });
    await model.fit(x, y, { epochs: 1, seed: 1 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 2, seed: 1, validationSplit: 0.25, batchSize: 8 });
    expect(tf.memory().numTensors).toBe(before);
    for (const k of ['precision', 'recall', 'f1', 'auc', 'valPrecision', 'valRecall', 'valF1', 'valAuc']) {
      expect(model.history[k], k).toHaveLength(k.startsWith('val') ? 2 : 3);
      for (const v of model.history[k]) expect(v).toBeGreaterThanOrEqual(0);
    }
    await model.dispose();
  });
});

/** Softmax rows with scores spread apart (no two within one AUC threshold step), and their log inputs. */
function spreadRows(n: number): { x: number[][]; probs: number[][] } {
  const probs = Array.from({ length: n }, (_, i) => {
    const a = 0.05 + ((i * 7) % n) / (n * 1.6);
    const b = (1 - a) * (0.3 + ((i * 5) % n) / (n * 2.5));
    return [a, b, 1 - a - b];
  });
  return { x: probs.map((r) => r.map(Math.log)), probs };
}

describe('count metrics: what they refuse', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('a regression loss with precision is INVALID_OPTION, before any weight changes', async () => {
    const model = sequential({ inputShape: [1], seed: 1 })
      .dense(1)
      .compile({ metrics: ['precision'] });
    const before = await model.net.layers[0].getWeights()[0].data();
    const err = await model.fit([1, 2, 3], [1, 2, 3], { epochs: 1 }).catch((e) => e);
    expect(isGraftError(err, 'INVALID_OPTION')).toBe(true);
    expect(err.message).toMatch(/precision.*cross-entropy.*meanSquaredError/);
    expect(await model.net.layers[0].getWeights()[0].data()).toEqual(before);
    await model.dispose();
  });

  it('a saved model keeps the count metrics: the loaded one reports the same values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graft-metrics-'));
    try {
      const model = binaryScorer('sigmoid').compile({ metrics: ['precision', 'prAuc', 'falseNegatives'] });
      const x = SCORES.map(logit);
      await model.save(dir);
      const loaded = await loadModel(dir);
      const r = await loaded.evaluate(x, LABELS);
      expect(Object.keys(r).sort()).toEqual(['falseNegatives', 'loss', 'prAuc', 'precision']);
      expect(r.prAuc).toBeCloseTo(BINARY.prAuc, 5);
      expect(r.falseNegatives).toBe(BINARY.falseNegatives);
      await model.dispose();
      await loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown metric name is INVALID_OPTION listing the known ones', () => {
    const model = sequential({ inputShape: [1] }).dense(1, { activation: 'sigmoid' });
    expect(() => model.compile({ metrics: ['precison' as never] })).toThrow(/prAuc.*truePositives/);
  });
});
