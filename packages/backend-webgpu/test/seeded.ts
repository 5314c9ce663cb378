import { createRng } from '@graftjs/core';
/** Deterministic pseudo-random floats in [-1, 1) (core's seeded mulberry32): the same inputs on every backend. */
export function randomData(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

/** One-hot labels: sample i gets class (i * 7) mod classes. */
export function oneHot(samples: number, classes: number): Float32Array {
  const out = new Float32Array(samples * classes);
  for (let i = 0; i < samples; i++) out[i * classes + ((i * 7) % classes)] = 1;
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
