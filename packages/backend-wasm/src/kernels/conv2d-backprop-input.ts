import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type backend_util,
  Conv2DBackpropInput,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor, validOutputRange } from './conv-info';
import { col2im } from './im2col';
import { heapOffset, SIMD_BLOCK_MAX, type SimdKernels, simdFor } from './simd';
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
  // The kernel has no dilations attribute: every tfjs backend computes it undilated.
  const info = convInfoFor(Conv2DBackpropInput, inputShape, filter.shape, { ...attrs, dilations: 1 } as never, false);
  const simd = info.inChannels % 4 === 0 ? simdFor(backend) : null;
  if (simd != null) return direct(backend, simd, dy, filter, info);
  const viaConv = viaForwardConv(backend, dy, filter, info);
  return viaConv ?? viaCol2im(backend, dy, filter, info);
}

/**
 * dx[n, oh*sh + i*dh - top, ow*sw + j*dw - left, c] += sum over o of dy[n, oh, ow, o] * W[i, j, c, o], one
 * SIMD pass per (tap, block of up to 32 input channels) over the output positions whose tap lands inside
 * the image (padding costs nothing), the filter first laid out as [i, j, o, c] so each o reads a contiguous
 * channel block. Images go in chunks that stay in cache across the taps.
 */
function direct(
  backend: BackendWasm,
  simd: SimdKernels,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, outChannels: O } = info;
  const { filterHeight, filterWidth, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // The filter regrouped for the SIMD loop: per tap and block of up to 32 input channels, one row of the
  // block's channels per output channel ([tap][block][o][c in block]).
  const wT = alloc(backend, [filterHeight * filterWidth * O * C]);
  const dx = alloc(backend, info.inShape);
  const blocks: [number, number][] = [];
  for (let c0 = 0; c0 < C; c0 += 4 * SIMD_BLOCK_MAX) blocks.push([c0, Math.min(4 * SIMD_BLOCK_MAX, C - c0)]);
  {
    const src = f32(backend, filter);
    const dst = f32(backend, wT);
    let at = 0;
    for (let t = 0; t < filterHeight * filterWidth; t++) {
      const base = t * C * O;
      for (const [c0, width] of blocks) {
        for (let o = 0; o < O; o++) for (let c = c0; c < c0 + width; c++) dst[at++] = src[base + c * O + o];
      }
    }
    f32(backend, dx).fill(0);
  }
  const dyAt = heapOffset(backend, dy.dataId);
  const wAt = heapOffset(backend, wT.dataId);
  const dxAt = heapOffset(backend, dx.dataId);
  const dxImg = inHeight * inWidth * C * 4;
  const dyImg = outHeight * outWidth * O * 4;
  const chunk = Math.max(1, Math.floor(DX_CHUNK_BYTES / (dxImg + dyImg)));
  for (let n0 = 0; n0 < batchSize; n0 += chunk) {
    const nb = Math.min(chunk, batchSize - n0);
    for (let i = 0; i < filterHeight; i++) {
      const hOff = i * dh - top;
      const [ohLo, ohHi] = validOutputRange(hOff, sh, inHeight, outHeight);
      if (ohHi === ohLo) continue;
      for (let j = 0; j < filterWidth; j++) {
        const wOff = j * dw - left;
        const [owLo, owHi] = validOutputRange(wOff, sw, inWidth, outWidth);
        if (owHi === owLo) continue;
        const dyStart = dyAt + n0 * dyImg + (ohLo * outWidth + owLo) * O * 4;
        const dxStart = dxAt + n0 * dxImg + ((ohLo * sh + hOff) * inWidth + (owLo * sw + wOff)) * C * 4;
        for (const [c0, width] of blocks) {
          simd.tapProduct[width / 4](
            dyStart,
            wAt + ((i * filterWidth + j) * C + c0) * O * 4,
            dxStart + c0 * 4,
            nb,
            ohHi - ohLo,
            owHi - owLo,
            dyImg,
            outWidth * O * 4,
            O * 4,
            dxImg,
            sh * inWidth * C * 4,
            sw * C * 4,
            O,
          );
        }
      }
    }
  }
  release(backend, wT);
  return dx;
}

/** Images per pass: as many as keep their dx and dy within this many bytes (cache-sized). */
const DX_CHUNK_BYTES = 64 * 1024;

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
