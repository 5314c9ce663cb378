import { foldRows, stratifiedFolds } from './cross-validate';
import { lbfgs } from './lbfgs';
import { headObjective, type LinearProblem, meanLoss, parameterCount } from './linear-head-objective';

/** L2 weight decays tried, strongest first (each fold's solution warm-starts the next, weaker one). */
export const WEIGHT_DECAY_GRID = [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4];

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
  /** L-BFGS iterations of the final fit on all rows. */
  iterations: number;
  converged: boolean;
  /** Mean held-out loss of every decay tried, in grid order (empty when too few rows to cross-validate). */
  scores: { weightDecay: number; loss: number }[];
  folds: number;
}

function smallestClass(p: LinearProblem): number {
  const counts = new Array<number>(p.k).fill(0);
  for (let r = 0; r < p.n; r++) {
    let best = 0;
    for (let c = 1; c < p.k; c++) if (p.t[r * p.k + c] > p.t[r * p.k + best]) best = c;
    counts[best]++;
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
    let w = new Float64Array(parameterCount(p));
    grid.forEach((decay, i) => {
      w = lbfgs(headObjective(train, decay), w, { maxIterations }).x;
      sums[i] += meanLoss(held, w) * held.n;
    });
  }
  return grid.map((weightDecay, i) => ({ weightDecay, loss: sums[i] / p.n }));
}

/**
 * Solves a linear softmax/sigmoid head on fixed features: L2 weight decay chosen by stratified k-fold
 * cross-validation (lowest held-out loss) over a small grid, then one fit on every row with that decay.
 */
export function solveLinearHead(p: LinearProblem, options: HeadSolveOptions = {}): HeadSolution {
  const grid = options.grid ?? WEIGHT_DECAY_GRID;
  const maxIterations = options.maxIterations ?? 300;
  const folds = Math.min(options.folds ?? 5, smallestClass(p));
  let weightDecay = grid[Math.floor(grid.length / 2)];
  let scores: HeadSolution['scores'] = [];
  if (folds >= 2 && grid.length > 1) {
    scores = crossValidate(p, grid, folds, options.seed ?? 0, maxIterations);
    weightDecay = scores.reduce((a, b) => (b.loss < a.loss ? b : a)).weightDecay;
  } else if (grid.length === 1) weightDecay = grid[0];
  const result = lbfgs(headObjective(p, weightDecay), new Float64Array(parameterCount(p)), { maxIterations: 1000 });
  const kernel = Float32Array.from(result.x.subarray(0, p.d * p.k));
  const bias = Float32Array.from(result.x.subarray(p.d * p.k));
  const { iterations, converged } = result;
  return { kernel, bias, weightDecay, iterations, converged, scores, folds: folds >= 2 ? folds : 0 };
}
