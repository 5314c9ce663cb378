import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assemble, type Body, backendMemory, countdown, type FnSpec, simdDisabled } from './simd';

/**
 * Per-channel and elementwise SIMD loops for the BatchNorm and clip kernels (one pass over the data where the
 * stock kernels and gradients take several), assembled like simd.ts' loops. Pointers are byte offsets into the
 * backend's heap; C4 is the channel count / 4 (channels innermost, NHWC).
 */

/** For each of `rows` rows, `body` runs once per 4-channel vector, local `p` walking from `start` 16 bytes a vector. */
function perChannel(
  b: Body,
  rows: number,
  C4: number,
  r: number,
  c: number,
  p: number,
  start: number,
  body: () => void,
) {
  countdown(
    b,
    r,
    () => b.get(rows),
    () => {
      b.get(start).set(p);
      countdown(
        b,
        c,
        () => b.get(C4),
        () => {
          body();
          b.get(p).i32(16).add().set(p);
        },
      );
    },
  );
}

/**
 * affineChannels(x, mao, out, rows, C4): out[r, c] = (x[r, c] - m[c]) * a[c] + o[c], with m, a and o stored one
 * after the other at mao (subtracting first keeps BatchNorm's rounding when the mean is large).
 */
const affineChannels: FnSpec = {
  name: 'affineChannels',
  params: 5,
  i32Locals: 4,
  v128Locals: 0,
  body: (b) => {
    const [x, mao, out, rows, C4, r, c, p, cBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    b.get(C4).i32(16).mul().set(cBytes);
    perChannel(b, rows, C4, r, c, p, mao, () => {
      b.get(out);
      b.get(x).vLoad().get(p).vLoad().fSub();
      b.get(p).get(cBytes).add().vLoad().fMul();
      b.get(p).get(cBytes).add().get(cBytes).add().vLoad().fAdd();
      b.vStore();
      b.get(x).i32(16).add().set(x);
      b.get(out).i32(16).add().set(out);
    });
  },
};

/**
 * bnSums(x, dy, mean, out, rows, C4): out[c] += sum over rows of dy[r, c]; out[C + c] += sum of
 * dy[r, c] * (x[r, c] - mean[c]) — the two reductions a BatchNorm gradient needs, in one pass.
 */
const bnSums: FnSpec = {
  name: 'bnSums',
  params: 6,
  i32Locals: 5,
  v128Locals: 1,
  body: (b) => {
    const [x, dy, mean, out, rows, C4, r, c, p, cBytes, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const g = 11;
    b.get(C4).i32(16).mul().set(cBytes);
    perChannel(b, rows, C4, r, c, p, out, () => {
      // q walks mean alongside p (out's first half)
      b.get(p).get(out).sub().get(mean).add().set(q);
      b.get(dy).vLoad().set(g);
      b.get(p).get(p).vLoad().get(g).fAdd().vStore();
      b.get(p).get(cBytes).add();
      b.get(p).get(cBytes).add().vLoad();
      b.get(x).vLoad().get(q).vLoad().fSub().get(g).fMul();
      b.fAdd().vStore();
      b.get(x).i32(16).add().set(x);
      b.get(dy).i32(16).add().set(dy);
    });
  },
};

/** clipGrad(x, dy, dx, n4, loBits, hiBits): dx = dy where lo <= x <= hi, else 0 (NaN x gives 0), 4 floats a step. */
const clipGrad: FnSpec = {
  name: 'clipGrad',
  params: 6,
  i32Locals: 1,
  v128Locals: 3,
  body: (b) => {
    const [x, dy, dx, n4, loBits, hiBits, i, lo, hi, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    b.get(loBits).iSplat().set(lo);
    b.get(hiBits).iSplat().set(hi);
    countdown(
      b,
      i,
      () => b.get(n4),
      () => {
        b.get(x).vLoad().set(v);
        b.get(dx);
        b.get(dy).vLoad();
        b.get(v).get(lo).fGe().get(v).get(hi).fLe().vAnd();
        b.vAnd().vStore();
        b.get(x).i32(16).add().set(x);
        b.get(dy).i32(16).add().set(dy);
        b.get(dx).i32(16).add().set(dx);
      },
    );
  },
};

export type ElementwiseSimd = {
  affineChannels(x: number, mao: number, out: number, rows: number, c4: number): void;
  bnSums(x: number, dy: number, mean: number, out: number, rows: number, c4: number): void;
  clipGrad(x: number, dy: number, dx: number, n4: number, loBits: number, hiBits: number): void;
};

const cache = new WeakMap<WebAssembly.Memory, ElementwiseSimd | null>();

/** These loops bound to the backend's memory, or null where they cannot run (callers keep JavaScript loops). */
export function elementwiseSimdFor(backend: BackendWasm): ElementwiseSimd | null {
  if (simdDisabled()) return null;
  const memory = backendMemory(backend);
  if (memory == null) return null;
  if (cache.has(memory)) return cache.get(memory) ?? null;
  let fns: ElementwiseSimd | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(assemble([affineChannels, bnSums, clipGrad], shared));
    fns = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ElementwiseSimd;
  } catch {
    fns = null;
  }
  cache.set(memory, fns);
  return fns;
}

/** An f32's bit pattern as an i32 (the SIMD loops take float constants this way). */
export function f32Bits(v: number): number {
  const f = new Float32Array([v]);
  return new Int32Array(f.buffer)[0];
}
