import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../data/rng';
import { draw, type Range } from './factors';

/** One draw per image, as a [n, 1, 1, 1] tensor to broadcast over its pixels. */
function perImage(n: number, range: Range, rng: Rng): tf.Tensor4D {
  return tf.tensor4d(
    Array.from({ length: n }, () => draw(range, rng.next)),
    [n, 1, 1, 1],
  );
}

/**
 * Keras RandomContrast: each channel of each image becomes (x - mean) * f + mean, mean over the image's pixels,
 * f drawn from `factor` (already [1 - lower, 1 + upper]), clipped to `valueRange`.
 */
export function contrast(x: tf.Tensor4D, factor: Range, valueRange: Range, rng: Rng): tf.Tensor4D {
  return tf.tidy(() => {
    const f = perImage(x.shape[0], factor, rng);
    const mean = tf.mean(x, [1, 2], true);
    return tf.clipByValue(tf.add(tf.mul(tf.sub(x, mean), f), mean), valueRange[0], valueRange[1]) as tf.Tensor4D;
  });
}

/**
 * Keras RandomBrightness: each image gets one delta, a draw from `factor` times the width of `valueRange`, added
 * to every pixel, then clipped to `valueRange`.
 */
export function brightness(x: tf.Tensor4D, factor: Range, valueRange: Range, rng: Rng): tf.Tensor4D {
  return tf.tidy(() => {
    const delta = tf.mul(perImage(x.shape[0], factor, rng), valueRange[1] - valueRange[0]);
    return tf.clipByValue(tf.add(x, delta), valueRange[0], valueRange[1]) as tf.Tensor4D;
  });
}
