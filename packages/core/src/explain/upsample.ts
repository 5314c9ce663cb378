import * as tf from '@tensorflow/tfjs-core';

/**
 * A [h, w] map resized to [height, width] by bilinear interpolation with half-pixel centres (TF2's
 * `tf.image.resize`, the resize graft uses for images), so each map cell stays over the image region it covers. A
 * new tensor; values stay within the map's range (each is a convex mix of neighbours).
 */
export function upsample(map: tf.Tensor2D, height: number, width: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [h, w] = map.shape;
    if (h === height && w === width) return tf.clone(map);
    const image = tf.expandDims(map, -1) as tf.Tensor3D;
    return tf.squeeze(tf.image.resizeBilinear(image, [height, width], false, true), [2]) as tf.Tensor2D;
  });
}
