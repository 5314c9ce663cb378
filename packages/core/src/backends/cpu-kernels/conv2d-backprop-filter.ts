import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  backend_util,
  Conv2DBackpropFilter,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs-core';

type Attrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

let stock: KernelConfig | undefined;

/**
 * dW[i, j, c, o] = sum over (n, oh, ow) of x[n, oh*sh + i - top, ow*sw + j - left, c] * dy[n, oh, ow, o], over the
 * flat typed arrays. tfjs-backend-cpu's kernel reads and writes every element through TensorBuffer.get/set (about
 * 0.2 us per multiply-add: one 32x32 VGG16 step took a minute); this loop runs the contiguous output-channel row
 * innermost, skips zero inputs (ReLU outputs) and accumulates in float64. NCHW goes to the stock kernel.
 */
function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: Attrs;
  backend: MathBackendCPU;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
    return (stock as KernelConfig).kernelFunc(args as never) as TensorInfo;
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, outChannels: O } = info;
  const { filterHeight, filterWidth, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xs = backend.data.get(x.dataId).values as Float32Array;
  const dys = backend.data.get(dy.dataId).values as Float32Array;
  const dw = new Float64Array(filterHeight * filterWidth * C * O);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyAt = ((n * outHeight + oh) * outWidth + ow) * O;
        for (let i = 0; i < filterHeight; i++) {
          const h = oh * sh + i - top;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < filterWidth; j++) {
            const w = ow * sw + j - left;
            if (w < 0 || w >= inWidth) continue;
            const xAt = ((n * inHeight + h) * inWidth + w) * C;
            const tapAt = (i * filterWidth + j) * C * O;
            for (let c = 0; c < C; c++) {
              const v = xs[xAt + c];
              if (v === 0) continue;
              const at = tapAt + c * O;
              for (let o = 0; o < O; o++) dw[at + o] += v * dys[dyAt + o];
            }
          }
        }
      }
    }
  }
  return backend.makeTensorInfo(attrs.filterShape, 'float32', Float32Array.from(dw));
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'cpu',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};

/** Replaces the stock cpu kernel (kept for NCHW and for tests that compare against it). */
export function registerCpuConv2DBackpropFilter(): void {
  const current = getKernel(Conv2DBackpropFilter, 'cpu');
  if (current?.kernelFunc === conv2DBackpropFilterConfig.kernelFunc) return;
  stock = current;
  if (current) unregisterKernel(Conv2DBackpropFilter, 'cpu');
  registerKernel(conv2DBackpropFilterConfig);
}

/** The stock tfjs-backend-cpu kernel graft replaced (undefined before registration). */
export function stockCpuConv2DBackpropFilter(): KernelConfig | undefined {
  return stock;
}
