import { GraftError, type Preprocessing } from '@graftjs/core';
import type { DecodedValueInfo } from '../onnx/decode';

/** Image graphs whose channel axis is 1 and small (1 or 3) are NCHW; NHWC when the last axis is. */
export function guessLayout(dims: (number | string)[]): 'nchw' | 'nhwc' {
  const small = (d: number | string) => d === 1 || d === 3;
  if (small(dims[3]) && !small(dims[1])) return 'nhwc';
  return 'nchw';
}

/**
 * graft's NHWC sample shape for the graph input: rank-4 image inputs in either layout, symbolic
 * height/width taken from `preprocessing.size`, a fixed size checked against it.
 */
export function sampleShape(
  input: DecodedValueInfo,
  layout: 'nchw' | 'nhwc',
  pre: Preprocessing | undefined,
): number[] {
  const dims = input.dims;
  if (!dims || dims.length < 2) {
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `graph input "${input.name}" has no usable shape (got ${dims ? `rank ${dims.length}` : 'none'})`,
    );
  }
  if (dims.length !== 4) {
    const rest = dims.slice(1);
    if (rest.some((d) => typeof d !== 'number')) {
      throw new GraftError(
        'ONNX_INPUT_MISMATCH',
        `graph input "${input.name}" has symbolic dims [${dims.join(', ')}]; only images may have those`,
      );
    }
    return rest as number[];
  }
  const [c, h, w] = layout === 'nchw' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]];
  const size = pre?.size;
  const resolve = (d: number | string, i: 0 | 1, axis: string): number => {
    if (typeof d === 'number') {
      if (size && size[i] !== d) {
        throw new GraftError(
          'ONNX_INPUT_MISMATCH',
          `graph input "${input.name}" [${dims.join(', ')}] (${layout}) has ${axis} ${d}, but preprocessing.size is [${size.join(', ')}]`,
        );
      }
      return d;
    }
    if (!size) {
      throw new GraftError(
        'ONNX_INPUT_MISMATCH',
        `graph input "${input.name}" has a symbolic ${axis} (${String(d)}); give preprocessing.size`,
      );
    }
    return size[i];
  };
  return [resolve(h, 0, 'height'), resolve(w, 1, 'width'), typeof c === 'number' ? c : 3];
}
