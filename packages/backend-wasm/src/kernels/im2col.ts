import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * The adjoint of an NHWC patch matrix (row p = (n, oh, ow), column k = (i, j, c), [N*outH*outW, fh*fw*inC]):
 * adds each patch row of `cols` back into the NHWC gradient `dx` (which must start zeroed).
 */
export function col2im(cols: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowLen = filterHeight * filterWidth * inChannels;
  let p = 0;
  for (let n = 0; n < batchSize; n++) {
    const xBatch = n * inHeight * inWidth * inChannels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, p++) {
        let k = p * rowLen;
        for (let i = 0; i < filterHeight; i++) {
          const h = oh * strideHeight + i * dilationHeight - top;
          if (h < 0 || h >= inHeight) {
            k += filterWidth * inChannels;
            continue;
          }
          const xRow = xBatch + h * inWidth * inChannels;
          for (let j = 0; j < filterWidth; j++, k += inChannels) {
            const w = ow * strideWidth + j * dilationWidth - left;
            if (w < 0 || w >= inWidth) continue;
            const dst = xRow + w * inChannels;
            for (let c = 0; c < inChannels; c++) dx[dst + c] += cols[k + c];
          }
        }
      }
    }
  }
}

/**
 * Transposed patch matrix: row k = (i, j, c), column p = (n, oh, ow), i.e. [fh*fw*inC, N*outH*outW], read
 * from the input in channels-first order `xT` = [C, N, H, W] so that every copied run is contiguous (stride 1)
 * or evenly strided. With it the filter gradient is colsT @ dy, a product XNNPACK runs without transposes.
 */
export function im2colT(xT: Float32Array, colsT: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const P = batchSize * outHeight * outWidth;
  const plane = inHeight * inWidth;
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      // Output columns whose tap (i, j) lands inside the image horizontally: owLo <= ow < owHi.
      const wOff = j * dilationWidth - left;
      const owLo = Math.min(outWidth, Math.max(0, Math.ceil(-wOff / strideWidth)));
      const owHi = Math.max(owLo, Math.min(outWidth, Math.ceil((inWidth - wOff) / strideWidth)));
      for (let c = 0; c < C; c++) {
        let dst = ((i * filterWidth + j) * C + c) * P;
        for (let n = 0; n < batchSize; n++) {
          const srcPlane = (c * batchSize + n) * plane + wOff;
          for (let oh = 0; oh < outHeight; oh++, dst += outWidth) {
            const h = oh * strideHeight + i * dilationHeight - top;
            if (h < 0 || h >= inHeight) {
              colsT.fill(0, dst, dst + outWidth);
              continue;
            }
            const src = srcPlane + h * inWidth;
            for (let ow = 0; ow < owLo; ow++) colsT[dst + ow] = 0;
            if (strideWidth === 1) {
              for (let ow = owLo; ow < owHi; ow++) colsT[dst + ow] = xT[src + ow];
            } else {
              for (let ow = owLo; ow < owHi; ow++) colsT[dst + ow] = xT[src + ow * strideWidth];
            }
            for (let ow = owHi; ow < outWidth; ow++) colsT[dst + ow] = 0;
          }
        }
      }
    }
  }
}
