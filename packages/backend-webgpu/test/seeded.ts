/** Deterministic pseudo-random floats in [-1, 1) (mulberry32): the same inputs on every backend. */
export function randomData(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  }
  return out;
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
