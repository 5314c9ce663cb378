/** How a linear head turns logits into probabilities: one softmax over units, or a sigmoid per unit. */
export type LinkKind = 'softmax' | 'sigmoid';

/**
 * Rows of features with their targets: `x` is n x d row-major, `t` n x k (one-hot rows or probabilities for
 * softmax, 0/1 per unit for sigmoid).
 */
export interface LinearProblem {
  x: Float64Array;
  t: Float64Array;
  n: number;
  d: number;
  k: number;
  link: LinkKind;
  /**
   * Rows that are one sample (an image and its augmented views) share a group id: cross-validation keeps a group
   * in one fold, so no view of a held-out image is trained on. Absent: every row is its own sample.
   */
  groups?: Int32Array;
}

/**
 * Parameters packed as one vector, class-major: unit c's weights at c * d .. (c + 1) * d (long inner loops),
 * then the bias (k). `denseKernel` turns that into a Dense kernel (d x k, row-major).
 */
export function parameterCount(p: Pick<LinearProblem, 'd' | 'k'>): number {
  return p.d * p.k + p.k;
}

/** Logits of every row, n x k. */
function logits(p: LinearProblem, w: Float64Array): Float64Array {
  const { x, n, d, k } = p;
  const z = new Float64Array(n * k);
  const bias = d * k;
  for (let r = 0; r < n; r++) {
    const xr = r * d;
    for (let c = 0; c < k; c++) {
      const wc = c * d;
      let s = w[bias + c];
      for (let i = 0; i < d; i++) s += x[xr + i] * w[wc + i];
      z[r * k + c] = s;
    }
  }
  return z;
}

/**
 * Turns logits into residuals (probabilities minus targets) in place; returns the summed data loss. Softmax:
 * cross-entropy over units; sigmoid: binary cross-entropy per unit (averaged over units, as Keras does).
 */
function residuals(p: LinearProblem, z: Float64Array): number {
  const { n, k, t } = p;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    if (p.link === 'softmax') {
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) max = Math.max(max, z[o + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[o + c] - max);
      const lse = max + Math.log(sum);
      for (let c = 0; c < k; c++) {
        loss += t[o + c] * (lse - z[o + c]);
        z[o + c] = Math.exp(z[o + c] - lse) - t[o + c];
      }
    } else {
      for (let c = 0; c < k; c++) {
        const v = z[o + c];
        // softplus(v) - t v, stable for large |v|
        loss += (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - t[o + c] * v) / k;
        z[o + c] = (1 / (1 + Math.exp(-v)) - t[o + c]) / k;
      }
    }
  }
  return loss;
}

/** Mean data loss of the head `w` on the problem's rows (no penalty): what validation scores. */
export function meanLoss(p: LinearProblem, w: Float64Array): number {
  return residuals(p, logits(p, w)) / p.n;
}

/**
 * The regularised objective of a linear head: mean loss + `weightDecay` * ||kernel||^2 (Keras' `l2` kernel
 * regulariser; the bias is not penalised), with its exact gradient.
 */
export function headObjective(p: LinearProblem, weightDecay: number): (w: Float64Array, g: Float64Array) => number {
  const { x, n, d, k } = p;
  return (w, g) => {
    const z = logits(p, w);
    let value = residuals(p, z) / n;
    g.fill(0);
    const bias = d * k;
    for (let r = 0; r < n; r++) {
      const xr = r * d;
      for (let c = 0; c < k; c++) {
        const e = z[r * k + c];
        g[bias + c] += e;
        const gc = c * d;
        for (let i = 0; i < d; i++) g[gc + i] += x[xr + i] * e;
      }
    }
    for (let j = 0; j < g.length; j++) g[j] /= n;
    for (let j = 0; j < bias; j++) {
      value += weightDecay * w[j] * w[j];
      g[j] += 2 * weightDecay * w[j];
    }
    return value;
  };
}
