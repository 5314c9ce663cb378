import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, Tile, util } from '@tensorflow/tfjs-core';
import { alloc, runStock } from './wasm-access';

type Typed = Float32Array | Int32Array | Uint8Array;

/**
 * Tile as block copies: x is placed once at the output's origin, then each axis, innermost first, is
 * replicated with `copyWithin` (a memmove), doubling the filled run each time. The stock kernel computes
 * every output element's source index, which dominated a MobileNetV2 training step (the BatchNorm gradient
 * tiles a [1, 1, 1, C] vector to the activation's full shape). Strings go to the stock kernel.
 */
function tile(args: { inputs: { x: TensorInfo }; attrs: { reps: number[] }; backend: BackendWasm }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const reps = attrs.reps;
  if (x.dtype === 'string' || x.dtype === 'complex64' || reps.length !== x.shape.length) {
    return runStock(Tile, inputs, attrs, backend);
  }
  const rank = x.shape.length;
  const outShape = x.shape.map((s, i) => s * reps[i]);
  const out = alloc(backend, outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  if (rank === 0) {
    (backend.typedArrayFromHeap(out) as Typed).set(backend.typedArrayFromHeap(x) as Typed);
    return out;
  }
  // Views after the last allocation.
  const src = backend.typedArrayFromHeap(x) as Typed;
  const dst = backend.typedArrayFromHeap(out) as Typed;
  const outStrides = new Array<number>(rank);
  outStrides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) outStrides[d] = outStrides[d + 1] * outShape[d + 1];

  // Place x's rows (its last axis) at the output positions of the same multi-index.
  const rowLen = x.shape[rank - 1];
  const rows = util.sizeFromShape(x.shape) / rowLen;
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < rows; r++) {
    let at = 0;
    for (let d = 0; d < rank - 1; d++) at += idx[d] * outStrides[d];
    dst.set(src.subarray(r * rowLen, (r + 1) * rowLen), at);
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < x.shape[d]) break;
      idx[d] = 0;
    }
  }
  // Axis d: for every index of the axes before it (within x's extent), the filled block of
  // x.shape[d] * outStrides[d] elements is repeated reps[d] times.
  for (let d = rank - 1; d >= 0; d--) {
    if (reps[d] === 1) continue;
    const block = x.shape[d] * outStrides[d];
    const total = block * reps[d];
    const outer = util.sizeFromShape(x.shape.slice(0, d));
    idx.fill(0);
    for (let o = 0; o < outer; o++) {
      let at = 0;
      for (let e = 0; e < d; e++) at += idx[e] * outStrides[e];
      for (let filled = block; filled < total; filled *= 2) {
        dst.copyWithin(at + filled, at, at + Math.min(filled, total - filled));
      }
      for (let e = d - 1; e >= 0; e--) {
        if (++idx[e] < x.shape[e]) break;
        idx[e] = 0;
      }
    }
  }
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
