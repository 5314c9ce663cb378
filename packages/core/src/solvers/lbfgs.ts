/** A smooth objective: its value at `x`, with the gradient written into `grad` (same length as `x`). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Most iterations (default 500). */
  maxIterations?: number;
  /** Stops when the largest gradient component is below this (default 1e-6). */
  gradientTolerance?: number;
  /** Stops when one step lowers the value by less than this, relatively (default 1e-12). */
  valueTolerance?: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Whether a tolerance stopped it (false: the iteration cap or a failed line search). */
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** The two-loop recursion: `-H g` for the inverse-Hessian estimate the pairs (s, y) define. */
function direction(g: Float64Array, s: Float64Array[], y: Float64Array[], rho: number[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha: number[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    alpha[i] = rho[i] * dot(s[i], q);
    for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * y[i][j];
  }
  const last = s.length - 1;
  const gamma = last >= 0 ? dot(s[last], y[last]) / dot(y[last], y[last]) : 1;
  for (let j = 0; j < q.length; j++) q[j] *= gamma;
  for (let i = 0; i < s.length; i++) {
    const beta = rho[i] * dot(y[i], q);
    for (let j = 0; j < q.length; j++) q[j] += (alpha[i] - beta) * s[i][j];
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j];
  return q;
}

/**
 * Full-batch L-BFGS (Nocedal & Wright, algorithm 7.5) with a backtracking Armijo line search. Written for the
 * small convex problems of a linear head (thousands of parameters), where it reaches the optimum in tens of
 * iterations; plain float64 arithmetic, so the result depends only on the objective, not on a backend.
 */
export function lbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-6;
  const ftol = options.valueTolerance ?? 1e-12;
  const m = options.memory ?? 10;
  let x = Float64Array.from(x0);
  let g = new Float64Array(x.length);
  let value = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const trial = new Float64Array(x.length);
  const gTrial = new Float64Array(x.length);
  for (let it = 0; it < maxIterations; it++) {
    if (maxAbs(g) < gtol) return { x, value, iterations: it, converged: true };
    let d = direction(g, s, y, rho);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // not a descent direction (round-off): restart from steepest descent
      s.length = y.length = rho.length = 0;
      d = g.map((v) => -v);
      slope = dot(g, d);
    }
    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let next = Number.NaN;
    for (let k = 0; k < 40; k++) {
      for (let j = 0; j < x.length; j++) trial[j] = x[j] + step * d[j];
      next = f(trial, gTrial);
      if (Number.isFinite(next) && next <= value + 1e-4 * step * slope) break;
      step /= 2;
      next = Number.NaN;
    }
    if (Number.isNaN(next)) return { x, value, iterations: it, converged: false };
    const sk = new Float64Array(x.length);
    const yk = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) {
      sk[j] = trial[j] - x[j];
      yk[j] = gTrial[j] - g[j];
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > m) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    const drop = value - next;
    x = Float64Array.from(trial);
    g = Float64Array.from(gTrial);
    value = next;
    if (drop <= ftol * Math.max(1, Math.abs(value))) return { x, value, iterations: it + 1, converged: true };
  }
  return { x, value, iterations: maxIterations, converged: maxAbs(g) < gtol };
}
