import { createRng, permutation } from '../data/rng';
import type { LinearProblem } from './linear-head-objective';

/** The class of each row (its largest target), which the folds are stratified by. */
export function rowClasses(p: LinearProblem): Int32Array {
  const out = new Int32Array(p.n);
  for (let r = 0; r < p.n; r++) {
    let best = 0;
    for (let c = 1; c < p.k; c++) if (p.t[r * p.k + c] > p.t[r * p.k + best]) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Assigns every row a fold in 0..folds-1: rows shuffled by the seed, then dealt class by class so each fold
 * holds about the same share of every class (scikit-learn's StratifiedKFold with shuffling). Rows of one group
 * (`p.groups`) take the fold of the group's first row dealt (StratifiedGroupKFold, for one sample per group).
 */
export function stratifiedFolds(p: LinearProblem, folds: number, seed: number): Int32Array {
  const order = permutation(p.n, createRng(seed));
  const classes = rowClasses(p);
  const fold = new Int32Array(p.n);
  const dealt = new Int32Array(p.k);
  const offset = createRng(seed + 1).int(folds);
  const groupFold = new Map<number, number>();
  for (const r of order) {
    const g = p.groups ? p.groups[r] : r;
    let f = groupFold.get(g);
    if (f === undefined) {
      const c = classes[r];
      f = (dealt[c]++ + offset + c) % folds;
      if (p.groups) groupFold.set(g, f);
    }
    fold[r] = f;
  }
  return fold;
}

/** The rows of `p` whose fold is (or, with `keep` false, is not) `f`. */
export function foldRows(p: LinearProblem, fold: Int32Array, f: number, keep: boolean): LinearProblem {
  const rows: number[] = [];
  for (let r = 0; r < p.n; r++) if ((fold[r] === f) === keep) rows.push(r);
  const x = new Float64Array(rows.length * p.d);
  const t = new Float64Array(rows.length * p.k);
  rows.forEach((r, i) => {
    x.set(p.x.subarray(r * p.d, (r + 1) * p.d), i * p.d);
    t.set(p.t.subarray(r * p.k, (r + 1) * p.k), i * p.k);
  });
  return { ...p, x, t, n: rows.length, groups: undefined };
}
