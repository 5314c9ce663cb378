import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * A few SIMD loops that JavaScript runs 4-10x slower (every float32 load and store is converted to a
 * double and bounds-checked), written as a tiny WebAssembly module that imports the wasm backend's own
 * memory, so it works on tensor data in place. The module is assembled here from opcodes (no toolchain,
 * nothing fetched) and compiled once per backend instance. Where WebAssembly SIMD or the backend's memory
 * object is unavailable, `simdFor` returns null and callers keep their JavaScript loops.
 */

const I32 = 0x7f;
const V128 = 0x7b;

/** Function-body builder: each method appends one instruction. Pointers and sizes are byte offsets (i32). */
export class Body {
  readonly code: number[] = [];
  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  private uleb(v: number): this {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.code.push(b);
    } while (x !== 0);
    return this;
  }
  private sleb(v: number): this {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.code.push(b);
        return this;
      }
      this.code.push(b | 0x80);
    }
  }
  private simd(opcode: number): this {
    return this.op(0xfd).uleb(opcode);
  }
  get = (i: number) => this.op(0x20).uleb(i);
  set = (i: number) => this.op(0x21).uleb(i);
  tee = (i: number) => this.op(0x22).uleb(i);
  i32 = (v: number) => this.op(0x41).sleb(v);
  add = () => this.op(0x6a);
  sub = () => this.op(0x6b);
  mul = () => this.op(0x6c);
  ltS = () => this.op(0x48);
  block = () => this.op(0x02, 0x40);
  loop = () => this.op(0x03, 0x40);
  end = () => this.op(0x0b);
  brIf = (depth: number) => this.op(0x0d).uleb(depth);
  br = (depth: number) => this.op(0x0c).uleb(depth);
  f32Load = (offset = 0) => this.op(0x2a, 2).uleb(offset);
  i32Load = (offset = 0) => this.op(0x28, 2).uleb(offset);
  vLoad = (offset = 0) => this.simd(0x00).uleb(2).uleb(offset);
  vStore = (offset = 0) => this.simd(0x0b).uleb(2).uleb(offset);
  vConstF32 = (v: number) => {
    this.simd(0x0c);
    const bytes = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
    for (const b of bytes) this.code.push(b);
    return this;
  };
  splat = () => this.simd(0x13);
  vAnd = () => this.simd(0x4e);
  /** a & ~b */
  vAndNot = () => this.simd(0x4f);
  vOr = () => this.simd(0x50);
  /** bitselect(a, b, mask): a where mask bits are set, b elsewhere. */
  vSelect = () => this.simd(0x52);
  fGt = () => this.simd(0x44);
  fAdd = () => this.simd(0xe4);
  fSub = () => this.simd(0xe5);
  fMul = () => this.simd(0xe6);
  fGe = () => this.simd(0x46);
  fLe = () => this.simd(0x45);
  /** i32x4.splat: with an f32's bit pattern as the i32, a float splat (v128 is untyped). */
  iSplat = () => this.simd(0x11);
}

export type FnSpec = { name: string; params: number; i32Locals: number; v128Locals: number; body: (b: Body) => void };

function section(id: number, payload: number[], out: number[]): void {
  out.push(id);
  pushUleb(out, payload.length);
  for (const b of payload) out.push(b);
}
function pushUleb(out: number[], v: number): void {
  let x = v >>> 0;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
}
function pushName(out: number[], s: string): void {
  pushUleb(out, s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

export function assemble(fns: FnSpec[], shared: boolean): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Types: one per function (all parameters i32, no results).
  const types: number[] = [];
  pushUleb(types, fns.length);
  for (const f of fns) {
    types.push(0x60);
    pushUleb(types, f.params);
    for (let i = 0; i < f.params; i++) types.push(I32);
    types.push(0);
  }
  section(1, types, out);
  // Import: env.memory (min 0 pages; shared memories must declare a maximum: wasm32's 65536 pages).
  const imports: number[] = [1];
  pushName(imports, 'env');
  pushName(imports, 'memory');
  imports.push(0x02);
  if (shared) {
    imports.push(0x03, 0);
    pushUleb(imports, 65536);
  } else {
    imports.push(0x00, 0);
  }
  section(2, imports, out);
  const funcs: number[] = [];
  pushUleb(funcs, fns.length);
  for (let i = 0; i < fns.length; i++) pushUleb(funcs, i);
  section(3, funcs, out);
  const exports: number[] = [];
  pushUleb(exports, fns.length);
  fns.forEach((f, i) => {
    pushName(exports, f.name);
    exports.push(0x00);
    pushUleb(exports, i);
  });
  section(7, exports, out);
  const code: number[] = [];
  pushUleb(code, fns.length);
  for (const f of fns) {
    const b = new Body();
    f.body(b);
    b.end();
    const fn: number[] = [];
    const groups: [number, number][] = [];
    if (f.i32Locals > 0) groups.push([f.i32Locals, I32]);
    if (f.v128Locals > 0) groups.push([f.v128Locals, V128]);
    pushUleb(fn, groups.length);
    for (const [n, t] of groups) {
      pushUleb(fn, n);
      fn.push(t);
    }
    for (const x of b.code) fn.push(x);
    pushUleb(code, fn.length);
    for (const x of fn) code.push(x);
  }
  section(10, code, out);
  return new Uint8Array(out);
}

/**
 * counted loop: `for (local[i] = count; local[i] > 0; local[i]--) body` (count > 0 is checked first).
 * Branch depths inside `body` are relative to the loop (0 continues, 1 leaves).
 */
export function countdown(b: Body, counter: number, count: () => void, body: () => void): void {
  count();
  b.set(counter);
  b.block();
  b.get(counter).i32(1).ltS().brIf(0);
  b.loop();
  body();
  b.get(counter).i32(1).sub().tee(counter).brIf(0);
  b.end();
  b.end();
}

/** ptr += step */
export function bump(b: Body, ptr: number, step: number): void {
  b.get(ptr).get(step).add().set(ptr);
}

/**
 * maxPool2x2Grad(x, dy, dx, outH, outW, C4, rowBytes): one image of a 2x2 / stride 2 max pool gradient with
 * every window inside the image; C4 = channels / 4. Writes all four cells of each window (the gradient to
 * the first strict maximum, 0 elsewhere; NaN never wins), so dx needs no zeroing first.
 */
const maxPool2x2Grad: FnSpec = {
  name: 'maxPool2x2Grad',
  params: 7,
  i32Locals: 6,
  v128Locals: 6,
  body: (b) => {
    // params: 0 x, 1 dy, 2 dx, 3 outH, 4 outW, 5 C4, 6 rowBytes
    // i32 locals: 7 oh, 8 ow, 9 c, 10 xp (window row start), 11 colBytes (C*4), 12 rowRest
    // v128 locals: 13 best, 14 m0, 15 m1, 16 m2, 17 m3, 18 g
    const [x, dy, dx, outH, outW, C4, rowBytes] = [0, 1, 2, 3, 4, 5, 6];
    const [oh, ow, c, delta, colBytes, rowRest] = [7, 8, 9, 10, 11, 12];
    const [best, m0, m1, m2, m3, g] = [13, 14, 15, 16, 17, 18];
    b.get(C4).i32(16).mul().set(colBytes);
    // dx has x's layout: dx cells are addressed as x's plus a constant byte distance.
    b.get(dx).get(x).sub().set(delta);
    // After a window row: skip the second input row and whatever columns no window covers.
    b.get(rowBytes).i32(2).mul().get(outW).get(colBytes).i32(2).mul().mul().sub().set(rowRest);
    const addr = (k: number, target: 'x' | 'dx') => {
      b.get(x);
      if (target === 'dx') b.get(delta).add();
      if (k === 1 || k === 3) b.get(colBytes).add();
      if (k >= 2) b.get(rowBytes).add();
    };
    countdown(
      b,
      oh,
      () => b.get(outH),
      () => {
        countdown(
          b,
          ow,
          () => b.get(outW),
          () => {
            countdown(
              b,
              c,
              () => b.get(C4),
              () => {
                // m_k: tap k beats the best so far (strictly, so ties keep the first; NaN compares false).
                b.vConstF32(Number.NEGATIVE_INFINITY).set(best);
                const masks = [m0, m1, m2, m3];
                for (let k = 0; k < 4; k++) {
                  addr(k, 'x');
                  b.vLoad();
                  if (k < 3) b.tee(g);
                  b.get(best).fGt().set(masks[k]);
                  if (k < 3) b.get(g).get(best).get(masks[k]).vSelect().set(best);
                }
                b.get(dy).vLoad().set(g);
                // The winner is the last tap whose mask is set: cell k gets g & m_k & ~(m_k+1 | ... | m_3).
                addr(3, 'dx');
                b.get(g).get(m3).vAnd().vStore();
                for (let k = 2; k >= 0; k--) {
                  // best now holds the union of the later masks
                  if (k === 2) b.get(m3).set(best);
                  else
                    b.get(best)
                      .get(masks[k + 1])
                      .vOr()
                      .set(best);
                  addr(k, 'dx');
                  b.get(g).get(masks[k]).get(best).vAndNot().vAnd().vStore();
                }
                b.get(x).i32(16).add().set(x);
                b.get(dy).i32(16).add().set(dy);
              },
            );
            // x advanced one column; skip the window's second column.
            bump(b, x, colBytes);
          },
        );
        bump(b, x, rowRest);
      },
    );
  },
};

/**
 * colSum{K}(x, rows, rowBytes, out): out[0..4K) = sum over r < rows of x[r*rowBytes .. +4K) in float32, the
 * K accumulators in registers.
 */
function colSum(K: number): FnSpec {
  return {
    name: `colSum${K}`,
    params: 4,
    i32Locals: 1,
    v128Locals: K,
    body: (b) => {
      const [x, rows, rowBytes, out, r] = [0, 1, 2, 3, 4];
      const acc = (k: number) => 5 + k;
      for (let k = 0; k < K; k++) b.vConstF32(0).set(acc(k));
      countdown(
        b,
        r,
        () => b.get(rows),
        () => {
          for (let k = 0; k < K; k++)
            b.get(acc(k))
              .get(x)
              .vLoad(16 * k)
              .fAdd()
              .set(acc(k));
          bump(b, x, rowBytes);
        },
      );
      for (let k = 0; k < K; k++)
        b.get(out)
          .get(acc(k))
          .vStore(16 * k);
    },
  };
}

/**
 * dwTap{K}(x, dy, out, N, H, W, xImg, xRow, xCol, dyImg, dyRow, dyCol, chans, outStride): for each of `chans`
 * input channels c (x advancing 4 bytes, out advancing outStride bytes per channel), out[c][0..4K) += sum
 * over n < N, h < H, w < W of x[n*xImg + h*xRow + w*xCol] (one float) times dy[n*dyImg + h*dyRow + w*dyCol
 * .. +4K) — one filter tap of a convolution's filter gradient for a block of 4K output channels, the K
 * accumulators held in registers over the whole sum.
 */
function dwTap(K: number): FnSpec {
  return {
    name: `dwTap${K}`,
    params: 14,
    i32Locals: 9,
    v128Locals: K + 1,
    body: (b) => {
      const [x, dy, out, N, H, W, xImg, xRow, xCol, dyImg, dyRow, dyCol, chans, outStride] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
      ];
      const [c, n, h, w, xp, dp, xn, dn, xRowAdj] = [14, 15, 16, 17, 18, 19, 20, 21, 22];
      const acc = (k: number) => 23 + k;
      const xv = 23 + K;
      // Row-end adjustments: from one past a row's last position to the next row's first.
      b.get(xRow).get(xCol).get(W).mul().sub().set(xRowAdj);
      b.get(dyRow).get(dyCol).get(W).mul().sub().set(dyRow);
      countdown(
        b,
        c,
        () => b.get(chans),
        () => {
          for (let k = 0; k < K; k++)
            b.get(out)
              .vLoad(16 * k)
              .set(acc(k));
          b.get(x).set(xn);
          b.get(dy).set(dn);
          countdown(
            b,
            n,
            () => b.get(N),
            () => {
              b.get(xn).set(xp);
              b.get(dn).set(dp);
              countdown(
                b,
                h,
                () => b.get(H),
                () => {
                  countdown(
                    b,
                    w,
                    () => b.get(W),
                    () => {
                      b.get(xp).f32Load().splat().set(xv);
                      for (let k = 0; k < K; k++) {
                        b.get(acc(k))
                          .get(dp)
                          .vLoad(16 * k)
                          .get(xv)
                          .fMul()
                          .fAdd()
                          .set(acc(k));
                      }
                      bump(b, xp, xCol);
                      bump(b, dp, dyCol);
                    },
                  );
                  bump(b, xp, xRowAdj);
                  bump(b, dp, dyRow);
                },
              );
              bump(b, xn, xImg);
              bump(b, dn, dyImg);
            },
          );
          for (let k = 0; k < K; k++)
            b.get(out)
              .get(acc(k))
              .vStore(16 * k);
          b.get(x).i32(4).add().set(x);
          bump(b, out, outStride);
        },
      );
    },
  };
}

/**
 * tapProduct{K}(src, w, dst, N, H, W, srcImg, srcRow, srcCol, dstImg, dstRow, dstCol, count): for each of
 * N*H*W positions p (strides in bytes), dst[p .. +4K) += sum over e < count of src[p, e] * w[e] where the
 * weights are laid out in rows of 4K floats (w[e] at w + e*16K) — one filter tap's contribution to a
 * convolution's input gradient for a block of 4K channels, the contraction held in registers.
 */
function tapProduct(K: number): FnSpec {
  const rowBytes = 16 * K;
  return {
    name: `tapProduct${K}`,
    params: 13,
    i32Locals: 8,
    v128Locals: K + 1,
    body: (b) => {
      const [src, w, dst, N, H, W, srcImg, srcRow, srcCol, dstImg, dstRow, dstCol, count] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
      ];
      const [n, h, x, e, sp, dp, ep, wp] = [13, 14, 15, 16, 17, 18, 19, 20];
      const acc = (k: number) => 21 + k;
      const lane = 21 + K;
      countdown(
        b,
        n,
        () => b.get(N),
        () => {
          b.get(src).set(sp);
          b.get(dst).set(dp);
          countdown(
            b,
            h,
            () => b.get(H),
            () => {
              countdown(
                b,
                x,
                () => b.get(W),
                () => {
                  for (let k = 0; k < K; k++)
                    b.get(dp)
                      .vLoad(16 * k)
                      .set(acc(k));
                  b.get(sp).set(ep);
                  b.get(w).set(wp);
                  countdown(
                    b,
                    e,
                    () => b.get(count),
                    () => {
                      b.get(ep).f32Load().splat().set(lane);
                      for (let k = 0; k < K; k++) {
                        b.get(acc(k))
                          .get(wp)
                          .vLoad(16 * k)
                          .get(lane)
                          .fMul()
                          .fAdd()
                          .set(acc(k));
                      }
                      b.get(ep).i32(4).add().set(ep);
                      b.get(wp).i32(rowBytes).add().set(wp);
                    },
                  );
                  for (let k = 0; k < K; k++)
                    b.get(dp)
                      .get(acc(k))
                      .vStore(16 * k);
                  bump(b, sp, srcCol);
                  bump(b, dp, dstCol);
                },
              );
              b.get(sp).get(srcCol).get(W).mul().sub().get(srcRow).add().set(sp);
              b.get(dp).get(dstCol).get(W).mul().sub().get(dstRow).add().set(dp);
            },
          );
          bump(b, src, srcImg);
          bump(b, dst, dstImg);
        },
      );
    },
  };
}

/**
 * gatherConv{K}(x, w, out, N, H, W, xImg, xRow, xCol, outImg, outRow, outCol, taps, count): for each of
 * N*H*W output positions, out[p .. +4K) = sum over e < count of x[p + taps[e]] * w[e] with w in rows of 4K
 * floats and `taps` an i32 table of byte offsets — a whole unpadded convolution window per position, for
 * inputs with few channels, where a per-tap pass would reload the accumulators for a handful of products.
 */
function gatherConv(K: number): FnSpec {
  const rowBytes = 16 * K;
  return {
    name: `gatherConv${K}`,
    params: 14,
    i32Locals: 8,
    v128Locals: K + 1,
    body: (b) => {
      const [x, w, out, N, H, W, xImg, xRow, xCol, outImg, outRow, outCol, taps, count] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
      ];
      const [n, h, c, e, xp, op, tp, wp] = [14, 15, 16, 17, 18, 19, 20, 21];
      const acc = (k: number) => 22 + k;
      const lane = 22 + K;
      // Row-end adjustments, from one past a row's last position to the next row's first.
      b.get(xRow).get(xCol).get(W).mul().sub().set(xRow);
      b.get(outRow).get(outCol).get(W).mul().sub().set(outRow);
      countdown(
        b,
        n,
        () => b.get(N),
        () => {
          b.get(x).set(xp);
          b.get(out).set(op);
          countdown(
            b,
            h,
            () => b.get(H),
            () => {
              countdown(
                b,
                c,
                () => b.get(W),
                () => {
                  for (let k = 0; k < K; k++) b.vConstF32(0).set(acc(k));
                  b.get(taps).set(tp);
                  b.get(w).set(wp);
                  countdown(
                    b,
                    e,
                    () => b.get(count),
                    () => {
                      b.get(xp).get(tp).i32Load().add().f32Load().splat().set(lane);
                      for (let k = 0; k < K; k++) {
                        b.get(acc(k))
                          .get(wp)
                          .vLoad(16 * k)
                          .get(lane)
                          .fMul()
                          .fAdd()
                          .set(acc(k));
                      }
                      b.get(tp).i32(4).add().set(tp);
                      b.get(wp).i32(rowBytes).add().set(wp);
                    },
                  );
                  for (let k = 0; k < K; k++)
                    b.get(op)
                      .get(acc(k))
                      .vStore(16 * k);
                  bump(b, xp, xCol);
                  bump(b, op, outCol);
                },
              );
              bump(b, xp, xRow);
              bump(b, op, outRow);
            },
          );
          bump(b, x, xImg);
          bump(b, out, outImg);
        },
      );
    },
  };
}

/**
 * dwFilter{K}(x, dy, out, H, W, xRow, xCol, dyRow, dyCol): out[0..4K) = sum over h < H, w < W of
 * x[h*xRow + w*xCol .. +4K) * dy[h*dyRow + w*dyCol .. +4K) elementwise (strides in bytes) — one filter tap of
 * a depthwise convolution's filter gradient over one image for a block of 4K channels, in float32 registers.
 */
function dwFilter(K: number): FnSpec {
  return {
    name: `dwFilter${K}`,
    params: 9,
    i32Locals: 4,
    v128Locals: K,
    body: (b) => {
      const [x, dy, out, H, W, xRow, xCol, dyRow, dyCol] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
      const [h, w, xp, dp] = [9, 10, 11, 12];
      const acc = (k: number) => 13 + k;
      for (let k = 0; k < K; k++) b.vConstF32(0).set(acc(k));
      countdown(
        b,
        h,
        () => b.get(H),
        () => {
          b.get(x).set(xp);
          b.get(dy).set(dp);
          countdown(
            b,
            w,
            () => b.get(W),
            () => {
              for (let k = 0; k < K; k++)
                b.get(acc(k))
                  .get(xp)
                  .vLoad(16 * k)
                  .get(dp)
                  .vLoad(16 * k)
                  .fMul()
                  .fAdd()
                  .set(acc(k));
              bump(b, xp, xCol);
              bump(b, dp, dyCol);
            },
          );
          bump(b, x, xRow);
          bump(b, dy, dyRow);
        },
      );
      for (let k = 0; k < K; k++)
        b.get(out)
          .get(acc(k))
          .vStore(16 * k);
    },
  };
}

export const SIMD_BLOCK_MAX = 8;

export type SimdKernels = {
  maxPool2x2Grad(x: number, dy: number, dx: number, outH: number, outW: number, c4: number, rowBytes: number): void;
  /** colSum[K] for K = 1..SIMD_BLOCK_MAX (index 0 unused). */
  colSum: ((x: number, rows: number, rowBytes: number, out: number) => void)[];
  /** dwTap[K] for K = 1..SIMD_BLOCK_MAX (index 0 unused). */
  dwTap: ((...args: number[]) => void)[];
  /** tapProduct[K] for K = 1..SIMD_BLOCK_MAX (index 0 unused). */
  tapProduct: ((...args: number[]) => void)[];
  /** gatherConv[K] for K = 1..SIMD_BLOCK_MAX (index 0 unused). */
  gatherConv: ((...args: number[]) => void)[];
  /** dwFilter[K] for K = 1..SIMD_BLOCK_MAX (index 0 unused). */
  dwFilter: ((...args: number[]) => void)[];
};

const cache = new WeakMap<object, SimdKernels | null>();
let disabled = false;

/** Forces the JavaScript fallbacks (tests compare both paths). */
export function disableSimdKernels(off: boolean): void {
  disabled = off;
}

/** Whether the JavaScript fallbacks are forced. */
export function simdDisabled(): boolean {
  return disabled;
}

/** The backend's WebAssembly memory, or null where the wasm build does not expose it. */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const wasm = (backend as unknown as { wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown } }).wasm;
  const memory = wasm.asm?.memory ?? wasm.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** The SIMD loops bound to this backend's memory, or null where they cannot run. */
export function simdFor(backend: BackendWasm): SimdKernels | null {
  if (disabled) return null;
  const memory = backendMemory(backend);
  if (memory == null) return null;
  if (cache.has(memory)) return cache.get(memory) ?? null;
  let kernels: SimdKernels | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const fns = [maxPool2x2Grad];
    for (let k = 1; k <= SIMD_BLOCK_MAX; k++) fns.push(dwTap(k), colSum(k), tapProduct(k), gatherConv(k), dwFilter(k));
    const bytes = assemble(fns, shared);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const e = instance.exports as Record<string, (...args: number[]) => void>;
    const numbered = (name: string) => [
      () => {},
      ...Array.from({ length: SIMD_BLOCK_MAX }, (_, k) => e[`${name}${k + 1}`]),
    ];
    kernels = {
      maxPool2x2Grad: e.maxPool2x2Grad,
      colSum: numbered('colSum'),
      dwTap: numbered('dwTap'),
      tapProduct: numbered('tapProduct'),
      gatherConv: numbered('gatherConv'),
      dwFilter: numbered('dwFilter'),
    };
  } catch {
    kernels = null;
  }
  cache.set(memory, kernels);
  return kernels;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: BackendWasm, dataId: object): number {
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(dataId)
    .memoryOffset;
}
