import { describe, expect, it } from 'vitest';
import { createRng } from '../../packages/core/src/data/rng';
import { stratifiedFolds } from '../../packages/core/src/solvers/cross-validate';
import { lbfgs } from '../../packages/core/src/solvers/lbfgs';
import {
  headObjective,
  type LinearProblem,
  meanLoss,
  parameterCount,
} from '../../packages/core/src/solvers/linear-head-objective';
import { solveLinearHead, standardise } from '../../packages/core/src/solvers/solve-linear-head';

/** Solves A x = b by Gaussian elimination with partial pivoting (A square, small). */
function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** A random softmax problem: `n` rows of `d` features drawn around one centre per class. */
function blobs(n: number, d: number, k: number, seed: number, link: 'softmax' | 'sigmoid' = 'softmax'): LinearProblem {
  const rng = createRng(seed);
  const centres = Array.from({ length: k * d }, () => rng.next() * 2 - 1);
  const x = new Float64Array(n * d);
  const t = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const c = r % k;
    for (let i = 0; i < d; i++) x[r * d + i] = centres[c * d + i] + (rng.next() - 0.5) * 1.5;
    t[r * k + c] = 1;
  }
  return { x, t, n, d, k, link };
}

describe('L-BFGS', () => {
  it('reaches the closed-form ridge regression optimum', () => {
    const rng = createRng(3);
    const n = 40;
    const d = 6;
    const lambda = 0.1;
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next() * 4 - 2));
    const y = X.map((row) => row.reduce((s, v, i) => s + v * (i - 2), 0) + rng.next() - 0.5);
    // f(w) = ||Xw - y||^2 / n + lambda ||w||^2; optimum: (X'X / n + lambda I) w = X'y / n
    const f = (w: Float64Array, g: Float64Array) => {
      g.fill(0);
      let v = 0;
      for (let r = 0; r < n; r++) {
        const e = X[r].reduce((s, xv, i) => s + xv * w[i], 0) - y[r];
        v += (e * e) / n;
        for (let i = 0; i < d; i++) g[i] += (2 * e * X[r][i]) / n;
      }
      for (let i = 0; i < d; i++) {
        v += lambda * w[i] * w[i];
        g[i] += 2 * lambda * w[i];
      }
      return v;
    };
    const A = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[i] * row[j], 0) / n + (i === j ? lambda : 0)),
    );
    const b = Array.from({ length: d }, (_, i) => X.reduce((s, row, r) => s + row[i] * y[r], 0) / n);
    const exact = solveLinear(A, b);
    const result = lbfgs(f, new Float64Array(d), { gradientTolerance: 1e-10 });
    expect(result.converged).toBe(true);
    result.x.forEach((v, i) => {
      expect(v).toBeCloseTo(exact[i], 7);
    });
  });

  it('solves a one-weight logistic problem to its known optimum', () => {
    // rows x = 1 (t = 1) and x = -1 (t = 0): by symmetry b = 0 and w solves 2 lambda w = 1 / (1 + e^w)
    const p: LinearProblem = { x: Float64Array.of(1, -1), t: Float64Array.of(1, 0), n: 2, d: 1, k: 1, link: 'sigmoid' };
    const lambda = 0.05;
    let lo = 0;
    let hi = 100;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (2 * lambda * mid < 1 / (1 + Math.exp(mid))) lo = mid;
      else hi = mid;
    }
    const result = lbfgs(headObjective(p, lambda), new Float64Array(2), { gradientTolerance: 1e-10 });
    expect(result.x[0]).toBeCloseTo(lo, 6);
    expect(result.x[1]).toBeCloseTo(0, 6);
  });
});

describe('the linear head objective', () => {
  for (const link of ['softmax', 'sigmoid'] as const) {
    it(`has the gradient of its value (${link}, finite differences)`, () => {
      const p = blobs(12, 4, 3, 5, link);
      const f = headObjective(p, 0.01);
      const rng = createRng(9);
      const w = Float64Array.from({ length: parameterCount(p) }, () => rng.next() - 0.5);
      const g = new Float64Array(w.length);
      f(w, g);
      const scratch = new Float64Array(w.length);
      for (let j = 0; j < w.length; j++) {
        const h = 1e-6;
        const up = Float64Array.from(w);
        const down = Float64Array.from(w);
        up[j] += h;
        down[j] -= h;
        expect(g[j]).toBeCloseTo((f(up, scratch) - f(down, scratch)) / (2 * h), 5);
      }
    });
  }
});

describe('solveLinearHead', () => {
  it('stratifies its folds: every fold holds every class equally', () => {
    const p = blobs(60, 3, 3, 1);
    const fold = stratifiedFolds(p, 5, 4);
    for (let f = 0; f < 5; f++) {
      const perClass = [0, 1, 2].map((c) => [...fold].filter((v, r) => v === f && r % 3 === c).length);
      expect(perClass).toEqual([4, 4, 4]);
    }
  });

  it('picks a decay by cross-validation and solves to a stationary point', () => {
    const p = blobs(90, 8, 3, 2);
    const s = solveLinearHead(p, { seed: 1 });
    expect(s.folds).toBe(5);
    expect(s.scores.map((x) => x.weightDecay)).toContain(s.weightDecay);
    const best = Math.min(...s.scores.map((x) => x.loss));
    expect(s.scores.find((x) => x.weightDecay === s.weightDecay)?.loss).toBe(best);
    // the decay applies on standardised features: map the raw kernel back there and check stationarity
    const { problem, mean, scale } = standardise(p);
    const { d, k } = p;
    const w = new Float64Array(parameterCount(p));
    for (let c = 0; c < k; c++) {
      let b = s.bias[c];
      for (let i = 0; i < d; i++) {
        w[c * d + i] = s.kernel[i * k + c] * scale[i];
        b += s.kernel[i * k + c] * mean[i];
      }
      w[d * k + c] = b;
    }
    const g = new Float64Array(w.length);
    headObjective(problem, s.weightDecay)(w, g);
    // float32 rounding of the solution bounds how small the gradient can read back
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-4);
    expect(meanLoss(problem, w)).toBeLessThan(Math.log(3));
    expect(s.converged).toBe(true);
    // same seed, same answer; a different seed may choose differently but still solves
    expect(solveLinearHead(p, { seed: 1 }).kernel).toEqual(s.kernel);
  });
});

describe('the row-space solve (more features than rows)', () => {
  it('gives the same head as the solve on the features themselves', () => {
    const wide = blobs(30, 80, 3, 8);
    const reduced = solveLinearHead(wide, { grid: [0.01] });
    const { problem, mean, scale } = standardise(wide);
    const direct = lbfgs(headObjective(problem, 0.01), new Float64Array(parameterCount(wide)), {
      gradientTolerance: 1e-9,
    });
    expect(reduced.converged).toBe(true);
    // compare predictions: logits on the raw rows from both kernels
    for (let r = 0; r < wide.n; r++) {
      for (let c = 0; c < wide.k; c++) {
        let a = reduced.bias[c];
        let b = direct.x[wide.d * wide.k + c];
        for (let i = 0; i < wide.d; i++) {
          a += wide.x[r * wide.d + i] * reduced.kernel[i * wide.k + c];
          b += ((wide.x[r * wide.d + i] - mean[i]) / scale[i]) * direct.x[c * wide.d + i];
        }
        expect(a).toBeCloseTo(b, 3);
      }
    }
  });
});
