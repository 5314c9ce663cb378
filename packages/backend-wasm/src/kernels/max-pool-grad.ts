import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backend_util, type KernelConfig, type KernelFunc, MaxPoolGrad, type TensorInfo } from '@tensorflow/tfjs-core';
import { assertFloat32 } from './conv-info';
import { heapOffset, simdFor } from './simd';
import { alloc, f32 } from './wasm-access';

/**
 * Routes each output gradient to the first maximum of its window (the cpu backend's tie rule). One pass
 * over the windows with contiguous channel loops (a WebAssembly SIMD loop for the common 2x2 / stride 2
 * pool); it replaces a stock kernel that was ~17% of a CNN step.
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  attrs: Record<string, unknown>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { dy, input } = inputs;
  assertFloat32(MaxPoolGrad, 'dy', dy.dtype);
  assertFloat32(MaxPoolGrad, 'input', input.dtype);
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } =
    info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  const dx = alloc(backend, input.shape);
  const dxd = f32(backend, dx);
  const xd = f32(backend, input);
  const dyd = f32(backend, dy);
  const whole2x2 =
    effectiveFilterHeight === 2 &&
    effectiveFilterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    outHeight * 2 <= inHeight &&
    outWidth * 2 <= inWidth;
  const simd = whole2x2 && C % 4 === 0 ? simdFor(backend) : null;
  if (simd != null) {
    const [xAt, dyAt, dxAt] = [
      heapOffset(backend, input.dataId),
      heapOffset(backend, dy.dataId),
      heapOffset(backend, dx.dataId),
    ];
    const imgBytes = inHeight * inWidth * C * 4;
    const dyImgBytes = outHeight * outWidth * C * 4;
    for (let n = 0; n < batchSize; n++) {
      simd.maxPool2x2Grad(
        xAt + n * imgBytes,
        dyAt + n * dyImgBytes,
        dxAt + n * imgBytes,
        outHeight,
        outWidth,
        C / 4,
        inWidth * C * 4,
      );
    }
    zeroUncovered(dxd, batchSize, inHeight, inWidth, C, outHeight, outWidth);
    return dx;
  }
  if (whole2x2) {
    pool2x2Grad(xd, dyd, dxd, batchSize, inHeight, inWidth, C, outHeight, outWidth);
    return dx;
  }
  anyWindowGrad(xd, dyd, dxd, info);
  return dx;
}

/** Any window, stride, padding and dilation: each output gradient goes to its window's first maximum. */
function anyWindowGrad(xd: Float32Array, dyd: Float32Array, dxd: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } =
    info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  dxd.fill(0);
  // Offsets of the in-image window taps of the current output position (at most fh*fw of them).
  const taps = new Int32Array(effectiveFilterHeight * effectiveFilterWidth);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        let nTaps = 0;
        for (let i = 0; i < effectiveFilterHeight; i += dilationHeight) {
          const h = oh * strideHeight + i - top;
          if (h < 0 || h >= inHeight) continue;
          for (let j = 0; j < effectiveFilterWidth; j += dilationWidth) {
            const w = ow * strideWidth + j - left;
            if (w >= 0 && w < inWidth) taps[nTaps++] = ((n * inHeight + h) * inWidth + w) * C;
          }
        }
        if (nTaps === 0) continue;
        const dyOff = ((n * outHeight + oh) * outWidth + ow) * C;
        for (let c = 0; c < C; c++) {
          // The cpu backend's rule: strictly greater wins, so ties go to the first tap, NaN is never chosen
          // and a window holding only NaN/-Infinity passes no gradient.
          let at = -1;
          let best = Number.NEGATIVE_INFINITY;
          for (let t = 0; t < nTaps; t++) {
            const v = xd[taps[t] + c];
            if (v > best) {
              best = v;
              at = taps[t] + c;
            }
          }
          if (at < 0) continue;
          dxd[at] += dyd[dyOff + c];
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};

/**
 * The common 2x2 / stride 2 pool with every window inside the image. The windows tile the covered rows and
 * columns, so each window writes all four of its gradient cells (the gradient or 0) and no pass zeroes dx
 * first; only an odd last row or column, which no window covers, is zeroed separately.
 */
function pool2x2Grad(
  xd: Float32Array,
  dyd: Float32Array,
  dxd: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  C: number,
  outHeight: number,
  outWidth: number,
): void {
  const down = inWidth * C;
  const run = outWidth * 2 * C;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const row0 = (n * inHeight + oh * 2) * inWidth * C;
      let dyOff = (n * outHeight + oh) * outWidth * C;
      for (let o0 = row0; o0 < row0 + run; o0 += 2 * C, dyOff += C) {
        const o1 = o0 + C;
        const o2 = o0 + down;
        const o3 = o2 + C;
        for (let c = 0; c < C; c++) {
          // The generic loop's rule, unrolled: strictly greater wins (ties go to the first tap), and a
          // window of NaN / -Infinity only passes no gradient.
          const v0 = xd[o0 + c];
          const v1 = xd[o1 + c];
          const v2 = xd[o2 + c];
          const v3 = xd[o3 + c];
          const g = dyd[dyOff + c];
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          if (v0 > best) {
            best = v0;
            at = 0;
          }
          if (v1 > best) {
            best = v1;
            at = 1;
          }
          if (v2 > best) {
            best = v2;
            at = 2;
          }
          if (v3 > best) at = 3;
          dxd[o0 + c] = at === 0 ? g : 0;
          dxd[o1 + c] = at === 1 ? g : 0;
          dxd[o2 + c] = at === 2 ? g : 0;
          dxd[o3 + c] = at === 3 ? g : 0;
        }
      }
    }
  }
  zeroUncovered(dxd, batchSize, inHeight, inWidth, C, outHeight, outWidth);
}

/** Zeroes the last row / column of each image that no 2x2 window covers (odd sizes). */
function zeroUncovered(
  dxd: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  C: number,
  outHeight: number,
  outWidth: number,
): void {
  const down = inWidth * C;
  const run = outWidth * 2 * C;
  for (let n = 0; n < batchSize; n++) {
    if (run < down) {
      for (let h = 0; h < outHeight * 2; h++) {
        const row = (n * inHeight + h) * down;
        dxd.fill(0, row + run, row + down);
      }
    }
    dxd.fill(0, (n * inHeight + outHeight * 2) * down, (n + 1) * inHeight * down);
  }
}
