import * as tf from '@tensorflow/tfjs-core';
import type { ImageSize } from './types';

/**
 * Bilinear resize with half-pixel centres (what TF2's tf.image.resize and Keras use), no antialiasing.
 * Takes ownership of `img`: returns it unchanged when it already has `size`, else disposes it.
 */
export function resizeOwned<T extends tf.Tensor3D | tf.Tensor4D>(img: T, size: ImageSize): T {
  const r = img.rank;
  if (img.shape[r - 3] === size[0] && img.shape[r - 2] === size[1]) return img;
  const out = tf.tidy(() => tf.image.resizeBilinear(img, size, false, true)) as T;
  img.dispose();
  return out;
}
