import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backend_util, type KernelConfig, type KernelFunc, Sum, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapOffset, SIMD_BLOCK_MAX, type SimdKernels, simdFor } from './simd';
import { alloc, f32, runStock } from './wasm-access';

/**
 * Sum over leading axes (a bias gradient: dy summed over batch and space) as one pass of column sums,
 * instead of the stock kernel's full transpose followed by a row reduction. Other reductions and
 * non-float32 tensors go to the stock kernel.
 */
function sum(args: {
  inputs: { x: TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const isLeadingPrefix = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !isLeadingPrefix) return runStock(Sum, inputs, attrs, backend);

  const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
  const outShape = x.shape.slice(axes.length);
  const cols = util.sizeFromShape(outShape);
  const out = alloc(backend, attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape);
  // float64 accumulators: a bias gradient adds up batch*height*width terms per channel.
  const acc = new Float64Array(cols);
  const simd = cols % 4 === 0 ? simdFor(backend) : null;
  if (simd != null) {
    simdColumnSums(backend, simd, x, out, rows, cols, acc);
  } else {
    const xd = f32(backend, x);
    for (let r = 0, off = 0; r < rows; r++, off += cols) {
      for (let c = 0; c < cols; c++) acc[c] += xd[off + c];
    }
  }
  f32(backend, out).set(acc);
  return out;
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
  kernelFunc: sum as unknown as KernelFunc,
};
