import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type backend_util,
  Conv2DBackpropFilter,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor, validOutputRange } from './conv-info';
import { im2colT } from './im2col';
import { heapOffset, SIMD_BLOCK_MAX, type SimdKernels, simdFor } from './simd';
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
  // The kernel has no dilations attribute: every tfjs backend computes it undilated.
  const info = convInfoFor(Conv2DBackpropFilter, x.shape, filterShape, { ...attrs, dilations: 1 } as never, false);
  const simd = info.outChannels % 4 === 0 ? simdFor(backend) : null;
  if (simd != null) return direct(backend, simd, x, dy, info, filterShape);
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

/**
 * dW[i, j, c, o] = sum over (n, oh, ow) of x[n, oh*sh + i*dh - top, ow*sw + j*dw - left, c] * dy[n, oh, ow, o],
 * summed by a SIMD loop per (tap, block of up to 32 output channels; input channels looped inside) that
 * walks only the output positions whose tap lands inside the image: no patch matrix, no transposes, no
 * weight packing.
 */
function direct(
  backend: BackendWasm,
  simd: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  filterShape: number[],
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, outChannels: O } = info;
  const { filterHeight, filterWidth, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dW = alloc(backend, filterShape);
  f32(backend, dW).fill(0);
  const xAt = heapOffset(backend, x.dataId);
  const dyAt = heapOffset(backend, dy.dataId);
  const outAt = heapOffset(backend, dW.dataId);
  const xImg = inHeight * inWidth * C * 4;
  const xRow = sh * inWidth * C * 4;
  const xCol = sw * C * 4;
  const dyImg = outHeight * outWidth * O * 4;
  const dyRow = outWidth * O * 4;
  const dyCol = O * 4;
  // Images in chunks small enough that a chunk's x and dy stay in cache while every (tap, channel,
  // output block) pass walks them.
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / (xImg + dyImg)));
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
        const xStart = xAt + n0 * xImg + ((ohLo * sh + hOff) * inWidth + (owLo * sw + wOff)) * C * 4;
        const dyStart = dyAt + n0 * dyImg + (ohLo * outWidth + owLo) * O * 4;
        for (let o0 = 0; o0 < O; o0 += 4 * SIMD_BLOCK_MAX) {
          const k = Math.min(SIMD_BLOCK_MAX, (O - o0) / 4);
          simd.dwTap[k](
            xStart,
            dyStart + o0 * 4,
            outAt + ((i * filterWidth + j) * C * O + o0) * 4,
            nb,
            ohHi - ohLo,
            owHi - owLo,
            xImg,
            xRow,
            xCol,
            dyImg,
            dyRow,
            dyCol,
            C,
            O * 4,
          );
        }
      }
    }
  }
  return dW;
}

/** Images per pass: as many as keep their x and dy within this many bytes (measured: 64 KiB beat 32 KiB-1 MiB). */
const CHUNK_BYTES = 64 * 1024;
