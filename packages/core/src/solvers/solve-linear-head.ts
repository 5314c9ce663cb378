import { foldRows, rowClasses, stratifiedFolds } from './cross-validate';
import { lbfgs } from './lbfgs';
import { headObjective, type LinearProblem, meanLoss, parameterCount } from './linear-head-objective';
import { rowSpace, toPrimal } from './row-space';

/** L2 weight decays tried, strongest first (each fold's solution warm-starts the next, weaker one). */
export const WEIGHT_DECAY_GRID = [3e-1, 1e-1, 3e-2, 1e-2, 3e-3, 1e-3];

export interface HeadSolveOptions {
  /** Seeds the folds (default 0: an unseeded solve is deterministic too). */
  seed?: number;
  /** Cross-validation folds (default 5; fewer when a class has fewer rows). */
  folds?: number;
  grid?: number[];
  maxIterations?: number;
}

export interface HeadSolution {
  /** d x k, row-major: a Dense kernel. */
  kernel: Float32Array;
  bias: Float32Array;
  weightDecay: number;
  /** L-BFGS iterations of the final fit on all rows (in the row space, then on the features). */
  iterations: number;
  converged: boolean;
  /** Mean held-out loss of every decay tried, in grid order (empty when too few rows to cross-validate). */
  scores: { weightDecay: number; loss: number }[];
  folds: number;
}

function smallestClass(p: LinearProblem): number {
  const counts = new Array<number>(p.k).fill(0);
  const classes = rowClasses(p);
  const seen = new Set<number>();
  for (let r = 0; r < p.n; r++) {
    // a group (an image and its views) is one sample
    if (p.groups && seen.has(p.groups[r])) continue;
    if (p.groups) seen.add(p.groups[r]);
    counts[classes[r]]++;
  }
  return Math.min(...counts.filter((c) => c > 0));
}

/** Mean held-out loss of each decay over the folds, warm-starting along the grid. */
function crossValidate(p: LinearProblem, grid: number[], folds: number, seed: number, maxIterations: number) {
  const fold = stratifiedFolds(p, folds, seed);
  const sums = new Array<number>(grid.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = foldRows(p, fold, f, false);
    const held = foldRows(p, fold, f, true);
    let w: Float64Array = new Float64Array(parameterCount(p));
    grid.forEach((decay, i) => {
      // held-out scores need no tight optimum: a looser tolerance keeps the grid cheap
      w = lbfgs(headObjective(train, decay), w, { maxIterations, gradientTolerance: 1e-5, valueTolerance: 1e-9 }).x;
      sums[i] += meanLoss(held, w) * held.n;
    });
  }
  return grid.map((weightDecay, i) => ({ weightDecay, loss: sums[i] / p.n }));
}

/**
 * The problem on standardised features (each column centred, scaled to unit variance; constant columns only
 * centred), with the column means and scales: the solver converges in far fewer iterations on it.
 */
export function standardise(p: LinearProblem): { problem: LinearProblem; mean: Float64Array; scale: Float64Array } {
  const { n, d } = p;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += p.x[r * d + i] / n;
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) scale[i] += (p.x[r * d + i] - mean[i]) ** 2 / n;
  for (let i = 0; i < d; i++) scale[i] = scale[i] > 1e-12 ? Math.sqrt(scale[i]) : 1;
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) x[r * d + i] = (p.x[r * d + i] - mean[i]) / scale[i];
  return { problem: { ...p, x }, mean, scale };
}

/** A Dense kernel (d x k, row-major) and bias on raw features from the solution `w` on standardised ones. */
export function unstandardise(w: Float64Array, d: number, k: number, mean: Float64Array, scale: Float64Array) {
  const kernel = new Float32Array(d * k);
  const bias = new Float32Array(k);
  for (let c = 0; c < k; c++) {
    let b = w[d * k + c];
    for (let i = 0; i < d; i++) {
      const v = w[c * d + i] / scale[i];
      kernel[i * k + c] = v;
      b -= v * mean[i];
    }
    bias[c] = b;
  }
  return { kernel, bias };
}

/**
 * Solves a linear softmax/sigmoid head on fixed features: L2 weight decay chosen by stratified k-fold
 * cross-validation (lowest held-out loss) over a small grid, then one fit on every row with that decay. The
 * decay applies to the kernel on standardised features (scikit-learn's StandardScaler + LogisticRegression);
 * the result is mapped back to a kernel and bias on the raw features.
 */
export function solveLinearHead(raw: LinearProblem, options: HeadSolveOptions = {}): HeadSolution {
  const { problem: p, mean, scale } = standardise(raw);
  const grid = options.grid ?? WEIGHT_DECAY_GRID;
  const maxIterations = options.maxIterations ?? 100;
  const folds = Math.min(options.folds ?? 5, smallestClass(p));
  let weightDecay = grid[Math.floor(grid.length / 2)];
  let scores: HeadSolution['scores'] = [];
  // more features than rows: solve in the row space (exact, cheaper), then polish on the features
  const space = p.d > p.n ? rowSpace(p) : null;
  const q = space?.problem ?? p;
  if (folds >= 2 && grid.length > 1) {
    scores = crossValidate(q, grid, folds, options.seed ?? 0, maxIterations);
    weightDecay = scores.reduce((a, b) => (b.loss < a.loss ? b : a)).weightDecay;
  } else if (grid.length === 1) weightDecay = grid[0];
  let start: Float64Array = new Float64Array(parameterCount(p));
  let reducedIterations = 0;
  if (space) {
    const reduced = lbfgs(headObjective(q, weightDecay), new Float64Array(parameterCount(q)), { maxIterations: 1000 });
    reducedIterations = reduced.iterations;
    start = toPrimal(reduced.x, p, space);
  }
  const result = lbfgs(headObjective(p, weightDecay), start, { maxIterations: 1000 });
  const { kernel, bias } = unstandardise(result.x, p.d, p.k, mean, scale);
  const { converged } = result;
  const iterations = reducedIterations + result.iterations;
  return { kernel, bias, weightDecay, iterations, converged, scores, folds: folds >= 2 ? folds : 0 };
}
