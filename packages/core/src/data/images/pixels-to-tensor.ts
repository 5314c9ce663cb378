import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../../errors/graft-error';
import type { PixelBuffer } from './types';

/** True for `{ data: Uint8Array | Uint8ClampedArray, width, height }` (a DecodedImage or an ImageData). */
export function isPixelBuffer(x: unknown): x is PixelBuffer {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<PixelBuffer>;
  return (
    (p.data instanceof Uint8Array || p.data instanceof Uint8ClampedArray) &&
    typeof p.width === 'number' &&
    typeof p.height === 'number'
  );
}

/** RGB or RGBA pixels to a float32 [H, W, 3] tensor with values 0..255 (alpha dropped). */
export function pixelsToTensor(p: PixelBuffer): tf.Tensor3D {
  const { width, height, data } = p;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new GraftError('INVALID_IMAGE', `expected a positive integer width and height, got ${width}x${height}`);
  }
  const n = width * height;
  if (data.length % n !== 0) {
    throw new GraftError(
      'INVALID_IMAGE',
      `expected ${n * 3} (RGB) or ${n * 4} (RGBA) bytes for a ${width}x${height} image, got ${data.length}`,
    );
  }
  const channels = data.length / n;
  if (channels !== 3 && channels !== 4) {
    throw new GraftError(
      'CHANNEL_MISMATCH',
      `expected 3 (RGB) or 4 (RGBA) channels per pixel, got ${channels} (${data.length} bytes for ${width}x${height})`,
      { expected: 3, given: channels },
    );
  }
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = data[i * channels];
    out[i * 3 + 1] = data[i * channels + 1];
    out[i * 3 + 2] = data[i * channels + 2];
  }
  return tf.tensor3d(out, [height, width, 3], 'float32');
}
