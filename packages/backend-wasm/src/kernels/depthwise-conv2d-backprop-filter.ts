import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor, validOutputRange } from './conv-info';
import { heapOffset, SIMD_BLOCK_MAX, type SimdKernels, simdFor } from './simd';
import { alloc, f32 } from './wasm-access';

/**
 * dW[i, j, c, m] = sum over (n, oh, ow) of x[n, h, w, c] * dy[n, oh, ow, c*M + m]. A direct loop: the work
 * equals one forward depthwise pass and the inner loop runs over contiguous channels. Sums are kept in
 * float64 because each filter tap adds up batch*outH*outW terms.
 */
function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: Record<string, unknown>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  const name = DepthwiseConv2dNativeBackpropFilter;
  assertFloat32(name, 'x', x.dtype);
  assertFloat32(name, 'dy', dy.dtype);
  const filterShape = attrs.filterShape as number[];
  const info = convInfoFor(name, x.shape, filterShape, attrs as never, true);
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const M = info.outChannels / C;
  const CM = C * M;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(filterHeight * filterWidth * CM);
  const dw = alloc(backend, filterShape);
  const simd = M === 1 && C % 4 === 0 ? simdFor(backend) : null;
  if (simd != null) {
    simdFilterGradient(backend, simd, x, dy, dw, info, acc);
    f32(backend, dw).set(acc);
    return dw;
  }

  const xd = f32(backend, x);
  const dyd = f32(backend, dy);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyOff = ((n * outHeight + oh) * outWidth + ow) * CM;
        for (let i = 0; i < filterHeight; i++) {
          const h = oh * strideHeight + i * dilationHeight - top;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < filterWidth; j++) {
            const w = ow * strideWidth + j * dilationWidth - left;
            if (w < 0 || w >= inWidth) continue;
            const xOff = ((n * inHeight + h) * inWidth + w) * C;
            const wOff = (i * filterWidth + j) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[wOff + c] += xd[xOff + c] * dyd[dyOff + c];
            } else {
              for (let c = 0; c < C; c++) {
                const xv = xd[xOff + c];
                const base = c * M;
                for (let m = 0; m < M; m++) acc[wOff + base + m] += xv * dyd[dyOff + base + m];
              }
            }
          }
        }
      }
    }
  }
  f32(backend, dw).set(acc);
  return dw;
}

/**
 * The M = 1, C % 4 = 0 case with SIMD loops: per image and filter tap, the valid output window is summed in
 * float32 registers (at most outHeight*outWidth terms), the per-image sums added up in float64. `dw` holds
 * each call's partial sums.
 */
function simdFilterGradient(
  backend: BackendWasm,
  simd: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  dw: TensorInfo,
  info: backend_util.Conv2DInfo,
  acc: Float64Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xAt = heapOffset(backend, x.dataId);
  const dyAt = heapOffset(backend, dy.dataId);
  const dwAt = heapOffset(backend, dw.dataId);
  const partial = f32(backend, dw);
  const pix = C * 4;
  const xRow = strideHeight * inWidth * pix;
  const xCol = strideWidth * pix;
  const dyRow = outWidth * pix;
  for (let i = 0; i < filterHeight; i++) {
    // Output rows whose input row oh*strideHeight + i*dilationHeight - top lies inside the image.
    const [oh0, oh1] = validOutputRange(i * dilationHeight - top, strideHeight, inHeight, outHeight);
    if (oh1 <= oh0) continue;
    for (let j = 0; j < filterWidth; j++) {
      const [ow0, ow1] = validOutputRange(j * dilationWidth - left, strideWidth, inWidth, outWidth);
      if (ow1 <= ow0) continue;
      const h0 = oh0 * strideHeight + i * dilationHeight - top;
      const w0 = ow0 * strideWidth + j * dilationWidth - left;
      const tap = (i * filterWidth + j) * C;
      for (let n = 0; n < batchSize; n++) {
        const xImg = xAt + ((n * inHeight + h0) * inWidth + w0) * pix;
        const dyImg = dyAt + ((n * outHeight + oh0) * outWidth + ow0) * pix;
        for (let c0 = 0; c0 < C; c0 += 4 * SIMD_BLOCK_MAX) {
          const k = Math.min(SIMD_BLOCK_MAX, (C - c0) / 4);
          simd.dwFilter[k](
            xImg + c0 * 4,
            dyImg + c0 * 4,
            dwAt + (tap + c0) * 4,
            oh1 - oh0,
            ow1 - ow0,
            xRow,
            xCol,
            dyRow,
            pix,
          );
        }
        for (let c = tap; c < tap + C; c++) acc[c] += partial[c];
      }
    }
  }
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelFunc,
};
