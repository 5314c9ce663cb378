import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  DepthwiseConv2dNativeBackpropFilter,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { assertFloat32, convInfoFor } from './conv-info';
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
  const dw = alloc(backend, filterShape);
  f32(backend, dw).set(acc);
  return dw;
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelFunc,
};
