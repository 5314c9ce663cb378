import type { CountMetricName } from './names';

/** The counts of one class (or of the pooled binary units). */
interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Keras' divide_no_nan: 0 where the denominator is 0 (a class never predicted has precision 0, as sklearn). */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function columns(sums: Float64Array): Counts[] {
  const k = sums.length / 4;
  return Array.from({ length: k }, (_, c) => ({
    tp: sums[c],
    fp: sums[k + c],
    tn: sums[2 * k + c],
    fn: sums[3 * k + c],
  }));
}

const precision = (c: Counts) => ratio(c.tp, c.tp + c.fp);
const recall = (c: Counts) => ratio(c.tp, c.tp + c.fn);
const f1 = (c: Counts) => ratio(2 * precision(c) * recall(c), precision(c) + recall(c));

/** The unweighted mean over classes ('macro'); with one column, that column's value. */
function macro(sums: Float64Array, of: (c: Counts) => number): number {
  const cols = columns(sums);
  return cols.reduce((s, c) => s + of(c), 0) / cols.length;
}

function total(sums: Float64Array, key: keyof Counts): number {
  return columns(sums).reduce((s, c) => s + c[key], 0);
}

/** ROC AUC from threshold counts, as Keras: trapezoids between the (false positive rate, recall) points. */
export function rocAuc(sums: Float64Array): number {
  const pts = columns(sums).map((c) => ({ x: ratio(c.fp, c.fp + c.tn), y: recall(c) }));
  let area = 0;
  for (let i = 0; i + 1 < pts.length; i++) area += (pts[i].x - pts[i + 1].x) * ((pts[i].y + pts[i + 1].y) / 2);
  return area;
}

/**
 * PR AUC from threshold counts, as Keras' `interpolate_pr_auc` (Davis and Goadrich 2006): between two
 * thresholds precision is interpolated along the true positives, not linearly, which would overstate it.
 */
export function prAuc(sums: Float64Array): number {
  const c = columns(sums);
  let area = 0;
  for (let i = 0; i + 1 < c.length; i++) {
    const [a, b] = [c[i], c[i + 1]];
    const dtp = a.tp - b.tp;
    const [pa, pb] = [a.tp + a.fp, b.tp + b.fp];
    const slope = ratio(dtp, Math.max(pa - pb, 0));
    const intercept = b.tp - slope * pb;
    const pRatio = pa > 0 && pb > 0 ? ratio(pa, Math.max(pb, 0)) : 1;
    area += ratio(slope * (dtp + intercept * Math.log(pRatio)), Math.max(b.tp + b.fn, 0));
  }
  return area;
}

/** Each count metric's value from its summed counts. */
export const COUNT_RESULTS: Record<CountMetricName, (sums: Float64Array) => number> = {
  precision: (s) => macro(s, precision),
  recall: (s) => macro(s, recall),
  f1: (s) => macro(s, f1),
  auc: rocAuc,
  prAuc,
  truePositives: (s) => total(s, 'tp'),
  falsePositives: (s) => total(s, 'fp'),
  trueNegatives: (s) => total(s, 'tn'),
  falseNegatives: (s) => total(s, 'fn'),
};
