import type { LinearProblem } from './linear-head-objective';

/**
 * With more features than rows, an L2-regularised linear head has its optimal kernel in the span of the rows
 * (the representer theorem), for every subset of the rows too. With K = X X' = L L' (Cholesky), the kernel
 * W = X' L'^-1 C gives logits X W = L C and penalty ||W||^2 = ||C||^2: the same problem on the n x n matrix L,
 * which costs n/d of the original per evaluation. The cross-validation folds take rows of L.
 */
export interface RowSpace {
  problem: LinearProblem;
  /** The Cholesky factor, lower triangular, n x n row-major. */
  l: Float64Array;
}

export function rowSpace(p: LinearProblem): RowSpace {
  const { x, n, d } = p;
  const k = new Float64Array(n * n);
  let trace = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += x[i * d + f] * x[j * d + f];
      k[i * n + j] = s;
      k[j * n + i] = s;
    }
    trace += k[i * n + i];
  }
  // a little jitter keeps the factorisation defined when rows repeat (K singular); the primal polish that
  // follows a reduced solve removes its effect
  const jitter = 1e-9 * Math.max(trace / n, 1e-12);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = k[i * n + j] + (i === j ? jitter : 0);
      for (let m = 0; m < j; m++) s -= l[i * n + m] * l[j * n + m];
      l[i * n + j] = i === j ? Math.sqrt(Math.max(s, jitter)) : s / l[j * n + j];
    }
  }
  return { problem: { ...p, x: l, d: n }, l };
}

/** The primal parameters (class-major kernel on the original features, then bias) of a row-space solution `c`. */
export function toPrimal(c: Float64Array, p: LinearProblem, space: RowSpace): Float64Array {
  const { x, n, d, k } = p;
  const { l } = space;
  const w = new Float64Array(d * k + k);
  const y = new Float64Array(n);
  for (let cls = 0; cls < k; cls++) {
    // back substitution: L' y = c_cls
    for (let i = n - 1; i >= 0; i--) {
      let s = c[cls * n + i];
      for (let j = i + 1; j < n; j++) s -= l[j * n + i] * y[j];
      y[i] = s / l[i * n + i];
    }
    for (let r = 0; r < n; r++) {
      const yr = y[r];
      for (let f = 0; f < d; f++) w[cls * d + f] += x[r * d + f] * yr;
    }
    w[d * k + cls] = c[n * k + cls];
  }
  return w;
}
