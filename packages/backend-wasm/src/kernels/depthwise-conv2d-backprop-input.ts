import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor } from './conv-info';
import { alloc, f32, release, runStock } from './wasm-access';

/**
 * Stride 1, multiplier 1 (MobileNet's case): dx is a forward depthwise convolution of dy with the filter
 * rotated 180 degrees, run by the stock XNNPACK kernel with explicit padding.
 */
function viaDepthwiseConv(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { filterHeight: fh, filterWidth: fw, inChannels: C } = info;
  const padTop = fh - 1 - info.padInfo.top;
  const padLeft = fw - 1 - info.padInfo.left;
  const padBottom = info.inHeight - info.outHeight + info.padInfo.top;
  const padRight = info.inWidth - info.outWidth + info.padInfo.left;
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return null;
  const rotated = alloc(backend, [fh, fw, C, 1]);
  const src = f32(backend, filter);
  const dst = f32(backend, rotated);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = ((fh - 1 - i) * fw + (fw - 1 - j)) * C;
      dst.set(src.subarray(from, from + C), (i * fw + j) * C);
    }
  }
  const dx = runStock(
    'DepthwiseConv2dNative',
    { x: dy, filter: rotated },
    {
      strides: 1,
      dilations: 1,
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
    } as never,
    backend,
  );
  release(backend, rotated);
  return dx;
}

/**
 * dx[n, h, w, c] = sum over taps (i, j) and multiplier m of dy[n, oh, ow, c*M + m] * W[i, j, c, m], written as
 * a scatter from each output position (no divisibility tests for strides, contiguous channel loops).
 */
function depthwiseConv2dNativeBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: Record<string, unknown>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, filter } = inputs;
  const name = DepthwiseConv2dNativeBackpropInput;
  assertFloat32(name, 'dy', dy.dtype);
  assertFloat32(name, 'filter', filter.dtype);
  const inputShape = attrs.inputShape as number[];
  const info = convInfoFor(name, inputShape, filter.shape, attrs as never, true);
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const M = info.outChannels / C;
  const CM = C * M;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  if (M === 1 && strideHeight === 1 && strideWidth === 1 && dilationHeight === 1 && dilationWidth === 1) {
    const viaConv = viaDepthwiseConv(backend, dy, filter, info);
    if (viaConv != null) return viaConv;
  }
  const dx = alloc(backend, inputShape);
  const dxd = f32(backend, dx);
  const dyd = f32(backend, dy);
  const wd = f32(backend, filter);
  dxd.fill(0);
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
              for (let c = 0; c < C; c++) dxd[xOff + c] += dyd[dyOff + c] * wd[wOff + c];
            } else {
              for (let c = 0; c < C; c++) {
                const base = c * M;
                let s = 0;
                for (let m = 0; m < M; m++) s += dyd[dyOff + base + m] * wd[wOff + base + m];
                dxd[xOff + c] += s;
              }
            }
          }
        }
      }
    }
  }
  return dx;
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelFunc,
};
