import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  Mean,
  Sum,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { heapOffset, SIMD_BLOCK_MAX, type SimdKernels, simdFor } from './simd';
import { alloc, f32, runStock } from './wasm-access';

type ReductionArgs = {
  inputs: { x: TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: BackendWasm;
};

/**
 * Sum or Mean over leading axes (a bias gradient, BatchNorm's batch statistics: over batch and space) as one pass
 * of column sums, instead of the stock kernel's full transpose followed by a row reduction. Other reductions and
 * non-float32 tensors go to the stock kernel.
 */
export function leadingAxesReduction(kernelName: typeof Sum | typeof Mean): KernelFunc {
  return ((args: ReductionArgs): TensorInfo => {
    const { inputs, attrs, backend } = args;
    const { x } = inputs;
    const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    if (x.dtype !== 'float32' || !isLeadingPrefix(axes, x.shape.length)) {
      return runStock(kernelName, inputs, attrs, backend);
    }
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const outShape = x.shape.slice(axes.length);
    const cols = util.sizeFromShape(outShape);
    const out = alloc(backend, attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape);
    if (cols === 0) return out;
    const acc = columnSums(backend, x, out, rows, cols);
    const od = f32(backend, out);
    // a mean over rows === 0 is NaN, like the stock kernel's 0 / 0
    for (let c = 0; c < cols; c++) od[c] = kernelName === Mean ? acc[c] / rows : acc[c];
    return out;
  }) as unknown as KernelFunc;
}

/** True when `axes` (sorted) are a proper leading prefix of a rank-`rank` tensor's axes. */
export function isLeadingPrefix(axes: number[], rank: number): boolean {
  return axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
}

/**
 * Column sums of x seen as [rows, cols], in float64. `scratch` (at least cols floats, e.g. the output) is
 * overwritten with partial sums.
 */
export function columnSums(
  backend: BackendWasm,
  x: TensorInfo,
  scratch: TensorInfo,
  rows: number,
  cols: number,
): Float64Array {
  // float64 accumulators: a bias gradient adds up batch*height*width terms per channel.
  const acc = new Float64Array(cols);
  const simd = cols % 4 === 0 ? simdFor(backend) : null;
  if (simd != null) {
    simdColumnSums(backend, simd, x, scratch, rows, cols, acc);
  } else {
    const xd = f32(backend, x);
    for (let r = 0, off = 0; r < rows; r++, off += cols) {
      for (let c = 0; c < cols; c++) acc[c] += xd[off + c];
    }
  }
  return acc;
}

/** Rows summed in float32 by a SIMD loop in blocks of ROW_BLOCK, the block sums added up in float64. */
const ROW_BLOCK = 128;

function simdColumnSums(
  backend: BackendWasm,
  simd: SimdKernels,
  x: TensorInfo,
  out: TensorInfo,
  rows: number,
  cols: number,
  acc: Float64Array,
): void {
  // The output tensor (at least cols floats) holds each block's partial sums.
  const xAt = heapOffset(backend, x.dataId);
  const outAt = heapOffset(backend, out.dataId);
  const partial = f32(backend, out);
  const rowBytes = cols * 4;
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const n = Math.min(ROW_BLOCK, rows - r0);
    for (let c0 = 0; c0 < cols; c0 += 4 * SIMD_BLOCK_MAX) {
      const k = Math.min(SIMD_BLOCK_MAX, (cols - c0) / 4);
      simd.colSum[k](xAt + r0 * rowBytes + c0 * 4, n, rowBytes, outAt + c0 * 4);
    }
    for (let c = 0; c < cols; c++) acc[c] += partial[c];
  }
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: leadingAxesReduction(Sum),
};
