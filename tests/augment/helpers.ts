import { GraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';

/** The GraftError code a call throws, or 'no error'. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof GraftError ? e.code : String(e);
  }
  return 'no error';
}

/** n distinct images [n, h, w, c] with values 0..255 that differ at every pixel (so any move shows). */
export function ramp(n: number, h: number, w: number, c = 1): tf.Tensor4D {
  const v = Float32Array.from({ length: n * h * w * c }, (_, i) => (i * 37) % 251);
  return tf.tensor4d(v, [n, h, w, c]);
}

/** Nested arrays [n][h][w][c] of a 4-D tensor. */
export function rows(t: tf.Tensor): number[][][][] {
  return t.arraySync() as number[][][][];
}

export function mirror(img: number[][][], axis: 'h' | 'v'): number[][][] {
  return axis === 'h' ? img.map((r) => [...r].reverse()) : [...img].reverse();
}

export function near(a: unknown, b: unknown, tol = 1e-3): boolean {
  const fa = (Array.from(a as ArrayLike<number>) as unknown as number[]).flat(4) as number[];
  const fb = (Array.from(b as ArrayLike<number>) as unknown as number[]).flat(4) as number[];
  return fa.length === fb.length && fa.every((v, i) => Math.abs(v - fb[i]) <= tol);
}
