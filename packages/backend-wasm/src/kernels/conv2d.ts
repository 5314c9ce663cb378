import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Conv2D, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { convInfoFor } from './conv-info';
import { heapOffset, SIMD_BLOCK_MAX, simdFor } from './simd';
import { alloc, f32, release, runStock } from './wasm-access';

/** Input channel counts up to this go to graft's loop; wider inputs keep the stock XNNPACK convolution. */
const MAX_IN_CHANNELS = 4;

/**
 * Forward convolution for inputs with few channels (a network's first layer: 1-4 channels), unpadded:
 * one SIMD pass per block of up to 32 output channels computes each output position's whole window with
 * the accumulators in registers. The stock XNNPACK kernel spends most of its time on overhead when the
 * window holds only 9-36 products per output channel. Everything else goes to the stock kernel.
 */
function conv2d(args: {
  inputs: { x: TensorInfo; filter: TensorInfo };
  attrs: Record<string, unknown>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, filter } = inputs;
  const nhwc = attrs.dataFormat == null || attrs.dataFormat === 'NHWC';
  const shapesOk = x.shape.length === 4 && filter.shape.length === 4 && x.dtype === 'float32';
  const simd =
    nhwc && shapesOk && filter.dtype === 'float32' && filter.shape[3] % 4 === 0 && filter.shape[2] <= MAX_IN_CHANNELS
      ? simdFor(backend)
      : null;
  if (simd == null) return runStock(Conv2D, inputs, attrs as never, backend);
  const info = convInfoFor(Conv2D, x.shape, filter.shape, attrs as never, false);
  const { top, left, bottom, right } = info.padInfo;
  if (top !== 0 || left !== 0 || bottom !== 0 || right !== 0) {
    return runStock(Conv2D, inputs, attrs as never, backend);
  }
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, outChannels: O } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, dilationHeight, dilationWidth } = info;
  const count = fh * fw * C;
  // Byte offsets of the window's taps from its first input, and the filter regrouped per output block
  // ([block][tap][o in block]).
  const taps = alloc(backend, [count], 'int32');
  const wB = alloc(backend, [count * O]);
  const y = alloc(backend, info.outShape);
  {
    const t = backend.typedArrayFromHeap(taps) as Int32Array;
    for (let i = 0, e = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        for (let c = 0; c < C; c++, e++) t[e] = ((i * dilationHeight * inWidth + j * dilationWidth) * C + c) * 4;
      }
    }
    const src = f32(backend, filter);
    const dst = f32(backend, wB);
    let at = 0;
    for (let o0 = 0; o0 < O; o0 += 4 * SIMD_BLOCK_MAX) {
      const width = Math.min(4 * SIMD_BLOCK_MAX, O - o0);
      for (let e = 0; e < count; e++) for (let o = o0; o < o0 + width; o++) dst[at++] = src[e * O + o];
    }
  }
  const xAt = heapOffset(backend, x.dataId);
  const wAt = heapOffset(backend, wB.dataId);
  const yAt = heapOffset(backend, y.dataId);
  const tapsAt = heapOffset(backend, taps.dataId);
  for (let o0 = 0; o0 < O; o0 += 4 * SIMD_BLOCK_MAX) {
    const width = Math.min(4 * SIMD_BLOCK_MAX, O - o0);
    simd.gatherConv[width / 4](
      xAt,
      wAt + o0 * count * 4,
      yAt + o0 * 4,
      batchSize,
      outHeight,
      outWidth,
      inHeight * inWidth * C * 4,
      sh * inWidth * C * 4,
      sw * C * 4,
      outHeight * outWidth * O * 4,
      outWidth * O * 4,
      O * 4,
      tapsAt,
      count,
    );
  }
  release(backend, taps, wB);
  return y;
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: conv2d as unknown as KernelFunc,
};
