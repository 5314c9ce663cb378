/** How close two embeddings are: cosine (on unit vectors, 1 - cos) or Euclidean distance. */
export type Metric = 'cosine' | 'euclidean';

/** One stored example: its class index and its embedding (unit length under the cosine metric). */
export interface Example {
  label: number;
  vector: Float32Array;
}

/** A copy scaled to unit length for the cosine metric (a zero vector stays zero), as is for Euclidean. */
export function prepare(v: Float32Array, metric: Metric): Float32Array {
  const out = Float32Array.from(v);
  if (metric === 'euclidean') return out;
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i] * out[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

/** A predicted class index and the score of every class (summing to 1). */
export interface Scores {
  index: number;
  probabilities: number[];
}

/** Distance between two prepared vectors: 1 - cos for cosine, the Euclidean distance otherwise. */
export function distance(a: Float32Array, b: Float32Array, metric: Metric): number {
  let s = 0;
  if (metric === 'cosine') {
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return 1 - s;
  }
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * ml5's kNN vote: the k nearest examples (all of them when fewer) vote one each; a class's confidence is its share
 * of the votes. A tie goes to the class of the nearest voter among the tied.
 */
export function knnVote(q: Float32Array, examples: Example[], k: number, classes: number, metric: Metric): Scores {
  const near = examples
    .map((e, i) => ({ label: e.label, d: distance(q, e.vector, metric), i }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k);
  const votes = new Array<number>(classes).fill(0);
  for (const n of near) votes[n.label] += 1;
  const top = Math.max(...votes);
  const index = near.find((n) => votes[n.label] === top)?.label ?? 0;
  return { index, probabilities: votes.map((v) => v / near.length) };
}

/** Mean embedding per class (prepared again under cosine, so the mean direction counts). */
export function prototypes(examples: Example[], classes: number, metric: Metric): (Float32Array | null)[] {
  const dim = examples[0]?.vector.length ?? 0;
  const sums = Array.from({ length: classes }, () => new Float32Array(dim));
  const counts = new Array<number>(classes).fill(0);
  for (const e of examples) {
    counts[e.label] += 1;
    for (let i = 0; i < dim; i++) sums[e.label][i] += e.vector[i];
  }
  return sums.map((s, c) =>
    counts[c] === 0
      ? null
      : prepare(
          s.map((v) => v / counts[c]),
          metric,
        ),
  );
}

/** Prototype networks' scores: softmax of -distance / temperature over the classes' mean embeddings. */
export function prototypeScores(q: Float32Array, protos: (Float32Array | null)[], metric: Metric, t: number): Scores {
  const logits = protos.map((p) => (p ? -distance(q, p, metric) / t : Number.NEGATIVE_INFINITY));
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const sum = e.reduce((a, b) => a + b, 0);
  const probabilities = e.map((v) => v / sum);
  return { index: logits.indexOf(top), probabilities };
}
