/**
 * Cross-validation with augmented views (issue 15, item 1): the head solver's folds keep an image and its views
 * together (scikit-learn's StratifiedGroupKFold), else a held-out image's views are trained on and the weight decay
 * picked is too weak. Checked on the folds themselves, on the solver, and through `transfer(base).augment(...)`.
 */
import { createRng, dataset, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { stratifiedFolds } from '../../packages/core/src/solvers/cross-validate';
import type { LinearProblem } from '../../packages/core/src/solvers/linear-head-objective';
import { solveLinearHead } from '../../packages/core/src/solvers/solve-linear-head';
import { useBackend } from '../helpers/backends';

/** `samples` rows of noise with random labels (no signal), each repeated `views` times view-major, nearly equal. */
function noiseViews(samples: number, views: number, d: number, k: number, seed: number): LinearProblem {
  const rng = createRng(seed);
  const base = Array.from({ length: samples * d }, () => rng.next() * 2 - 1);
  const label = Array.from({ length: samples }, (_, i) => (i < k ? i : rng.int(k)));
  const n = samples * views;
  const x = new Float64Array(n * d);
  const t = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const s = r % samples;
    for (let j = 0; j < d; j++) x[r * d + j] = base[s * d + j] + (rng.next() - 0.5) * 0.02;
    t[r * k + label[s]] = 1;
  }
  return { x, t, n, d, k, link: 'softmax' };
}

const groupsOf = (samples: number, views: number) =>
  Int32Array.from({ length: samples * views }, (_, r) => r % samples);

describe('folds that keep an image and its views together', () => {
  it('puts every row of a group in one fold, stratified by class over the groups', () => {
    const p = noiseViews(40, 4, 3, 2, 1);
    // classes alternate over the samples for an exact stratification check
    for (let r = 0; r < p.n; r++) {
      const c = (r % 40) % 2;
      p.t[r * 2] = c === 0 ? 1 : 0;
      p.t[r * 2 + 1] = c;
    }
    const fold = stratifiedFolds({ ...p, groups: groupsOf(40, 4) }, 5, 3);
    for (let s = 0; s < 40; s++) {
      const folds = new Set([0, 1, 2, 3].map((v) => fold[v * 40 + s]));
      expect(folds.size).toBe(1);
    }
    for (let f = 0; f < 5; f++) {
      const perClass = [0, 1].map((c) => [...fold].filter((v, r) => v === f && (r % 40) % 2 === c).length);
      // 20 images per class in 5 folds: 4 images (16 rows) of each class per fold
      expect(perClass).toEqual([16, 16]);
    }
  });

  it('without groups near-copies leak across folds and a weak decay wins; with groups the strongest does', () => {
    const p = noiseViews(30, 4, 20, 3, 2);
    const leaky = solveLinearHead(p, { seed: 1 });
    const grouped = solveLinearHead({ ...p, groups: groupsOf(30, 4) }, { seed: 1 });
    // labels are noise: held-out images are unpredictable, so the strongest decay scores best
    expect(grouped.weightDecay).toBe(0.3);
    expect(leaky.weightDecay).toBeLessThan(grouped.weightDecay);
  });
});

describe('transfer(base).augment picks its weight decay on whole images', () => {
  beforeAll(() => useBackend('cpu'));

  it('noise labels with 4 views per image: the cross-validated decay is the strongest', async () => {
    const input = tfl.input({ shape: [4, 4, 1] });
    const base = tfl.model({ inputs: input, outputs: tfl.layers.flatten().apply(input) as tfl.SymbolicTensor });
    const rng = createRng(5);
    const x = tf.tensor4d(
      Array.from({ length: 40 * 16 }, () => rng.int(256)),
      [40, 4, 4, 1],
    );
    const train = dataset(
      x,
      Array.from({ length: 40 }, (_, i) => (i < 2 ? i : rng.int(2))),
    );
    const model = transfer(base).freeze().augment({ brightness: 0.02, views: 4 }).addHead(2);
    await model.fit(train, { seed: 1 });
    expect(model.lastFit?.weightDecay).toBe(0.3);
    model.dispose();
    train.dispose();
    x.dispose();
  });
});
