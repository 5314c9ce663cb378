import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Conv2DBackpropFilter, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor } from './conv-info';
import { im2colT } from './im2col';
import { alloc, f32, matmul2d, release, reshapeInfo, runStock } from './wasm-access';

/**
 * dW = im2col(x)^T @ dy, with the patch matrix built already transposed ([K, P]) so the product is a plain
 * [K, P] @ [P, outC] matmul whose [K, outC] result is the filter layout itself: no transposes at all.
 */
function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: Record<string, unknown>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  assertFloat32(Conv2DBackpropFilter, 'x', x.dtype);
  assertFloat32(Conv2DBackpropFilter, 'dy', dy.dtype);
  const filterShape = attrs.filterShape as number[];
  const info = convInfoFor(Conv2DBackpropFilter, x.shape, filterShape, attrs as never, false);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const outC = info.outChannels;

  // Channels-first copy of x (with one channel the layouts coincide) so that im2colT copies contiguous runs.
  const xT = info.inChannels === 1 ? x : runStock('Transpose', { x }, { perm: [3, 0, 1, 2] }, backend);
  const colsT = alloc(backend, [k, rows]);
  im2colT(f32(backend, xT), f32(backend, colsT), info);
  if (xT !== x) release(backend, xT);
  const dw = matmul2d(backend, colsT, dy, k, rows, outC);
  const result = reshapeInfo(backend, dw, filterShape);
  release(backend, colsT, dw);
  return result;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
