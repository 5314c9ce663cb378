import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../../errors/graft-error';
import { withContext } from './error-context';
import { checkImageSize } from './image-size';
import { checkMaxPixels } from './max-pixels';
import { toImageTensor } from './to-image-tensor';
import type { DecodeOptions, ImageSize, ImageSource } from './types';

export interface ImagesToTensorOptions extends DecodeOptions {
  /** [height, width] every image is resized to (bilinear). Without it all images must already share one size. */
  size?: ImageSize;
}

/**
 * Decodes and resizes images one at a time and stacks them into a float32 [N, H, W, 3] tensor, 0..255.
 * Each image's tensor is copied into one preallocated buffer and disposed before the next is read, so
 * peak memory is the result plus one image, however many photos there are.
 */
export async function imagesToTensor(
  sources: ImageSource[],
  options: ImagesToTensorOptions = {},
): Promise<tf.Tensor4D> {
  if (!Array.isArray(sources)) {
    throw new GraftError('INVALID_DATA', `expected an array of images, got ${describe(sources)}`);
  }
  if (sources.length === 0) throw new GraftError('EMPTY_DATA', 'expected at least one image, got an empty array');
  const maxPixels = checkMaxPixels(options.maxPixels, 'options.maxPixels');
  const fixed = options.size === undefined ? undefined : checkImageSize(options.size, 'options.size', maxPixels);
  let size = fixed;
  let buffer: Float32Array | undefined;
  const n = sources.length;
  for (let i = 0; i < n; i++) {
    let img: tf.Tensor3D | undefined;
    try {
      img = await toImageTensor(sources[i], fixed ? { size: fixed, maxPixels } : { maxPixels });
      const [h, w] = img.shape;
      if (!size) size = [h, w];
      if (h !== size[0] || w !== size[1]) {
        throw new GraftError(
          'SHAPE_MISMATCH',
          `expected every image to be ${size[0]}x${size[1]} (height x width, the first image's size), got ${h}x${w}; pass { size } to resize them all`,
        );
      }
      const per = size[0] * size[1] * 3;
      buffer ??= new Float32Array(n * per);
      buffer.set(await img.data<'float32'>(), i * per);
    } catch (e) {
      throw withContext(e, `image ${i} of ${n}`);
    } finally {
      img?.dispose();
    }
  }
  const [h, w] = size as ImageSize;
  return tf.tensor4d(buffer as Float32Array, [n, h, w, 3], 'float32');
}
