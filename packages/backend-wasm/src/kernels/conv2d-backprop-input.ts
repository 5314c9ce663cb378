import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type backend_util,
  Conv2DBackpropInput,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor } from './conv-info';
import { col2im } from './im2col';
import { alloc, f32, matmul2d, release, runStock, transpose2d } from './wasm-access';

/**
 * Replaces the stock wasm kernel (a direct loop that was half of a small CNN's training step).
 * Stride 1: dx is a forward convolution of dy with the filter rotated 180 degrees and its channel axes
 * swapped, run by XNNPACK's convolution. Other strides: dx = col2im(dy @ W^T), the product in XNNPACK's
 * matmul and only the scatter-add in JavaScript.
 */
function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: Record<string, unknown>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs;
  // Channels-first stays with the stock kernel, which supports it.
  if (attrs.dataFormat === 'NCHW') return runStock(Conv2DBackpropInput, inputs, attrs as never, backend);
  assertFloat32(Conv2DBackpropInput, 'dy', dy.dtype);
  assertFloat32(Conv2DBackpropInput, 'filter', filter.dtype);
  const inputShape = attrs.inputShape as number[];
  const info = convInfoFor(Conv2DBackpropInput, inputShape, filter.shape, attrs as never, false);
  const viaConv = viaForwardConv(backend, dy, filter, info);
  return viaConv ?? viaCol2im(backend, dy, filter, info);
}

function viaForwardConv(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { filterHeight: fh, filterWidth: fw, inChannels: C, outChannels: O } = info;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    return null;
  }
  // dx[h] = sum_i dy[h + top - i] W[i]  ==  conv(dy padded by fh-1-top above, W[fh-1-i]).
  const padTop = fh - 1 - info.padInfo.top;
  const padLeft = fw - 1 - info.padInfo.left;
  const padBottom = info.inHeight - info.outHeight + info.padInfo.top;
  const padRight = info.inWidth - info.outWidth + info.padInfo.left;
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return null;

  const rotated = alloc(backend, [fh, fw, O, C]);
  const src = f32(backend, filter);
  const dst = f32(backend, rotated);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = ((fh - 1 - i) * fw + (fw - 1 - j)) * C * O;
      const to = (i * fw + j) * O * C;
      for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) dst[to + o * C + c] = src[from + c * O + o];
    }
  }
  const dx = runStock(
    'Conv2D',
    { x: dy, filter: rotated },
    {
      strides: 1,
      dilations: 1,
      dataFormat: 'NHWC',
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
    },
    backend,
  );
  release(backend, rotated);
  return dx;
}

function viaCol2im(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const wT = transpose2d(backend, filter, k, info.outChannels);
  const dcols = matmul2d(backend, dy, wT, rows, info.outChannels, k);
  const dx = alloc(backend, info.inShape);
  const dxData = f32(backend, dx);
  dxData.fill(0);
  col2im(f32(backend, dcols), dxData, info);
  release(backend, wT, dcols);
  return dx;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
