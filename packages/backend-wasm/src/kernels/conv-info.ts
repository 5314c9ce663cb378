import { describe, GraftError } from '@graftjs/core';
import { backend_util } from '@tensorflow/tfjs-core';

type ConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
};

/** Shared validation + geometry for graft's conv gradient kernels: NHWC float32 only. */
export function convInfoFor(
  kernelName: string,
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): backend_util.Conv2DInfo {
  if (attrs.dataFormat != null && attrs.dataFormat !== 'NHWC') {
    throw new GraftError(
      'INVALID_OPTION',
      `${kernelName} on wasm supports dataFormat 'NHWC' (channels last) only, got ${describe(attrs.dataFormat)}`,
    );
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `${kernelName} expects a rank-4 input [batch, height, width, channels] and a rank-4 filter, got input [${xShape.join(', ')}] and filter [${filterShape.join(', ')}]`,
    );
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
}

export function assertFloat32(kernelName: string, name: string, dtype: string): void {
  if (dtype !== 'float32') {
    throw new GraftError('INVALID_DATA', `${kernelName} expects float32 '${name}', got ${describe(dtype)}`);
  }
}

/** The output positions [lo, hi) of one filter tap whose input index `o * stride + offset` lies in [0, inSize). */
export function validOutputRange(offset: number, stride: number, inSize: number, outSize: number): [number, number] {
  const lo = Math.min(outSize, Math.max(0, Math.ceil(-offset / stride)));
  const hi = Math.max(lo, Math.min(outSize, Math.ceil((inSize - offset) / stride)));
  return [lo, hi];
}
