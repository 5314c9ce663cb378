import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backend_util, type KernelConfig, type KernelFunc, Sum, type TensorInfo, util } from '@tensorflow/tfjs-core';
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
  const xd = f32(backend, x);
  // float64 accumulators: a bias gradient adds up batch*height*width terms per channel.
  const acc = new Float64Array(cols);
  for (let r = 0, off = 0; r < rows; r++, off += cols) {
    for (let c = 0; c < cols; c++) acc[c] += xd[off + c];
  }
  f32(backend, out).set(acc);
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
