import * as tf from '@tensorflow/tfjs-core';

export type Interpolation = 'bilinear' | 'nearest';

/** The central `h` x `w` window of an NHWC batch (Keras' offsets: `(H - h) // 2`, `(W - w) // 2`). */
export function centralCrop(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  const [, H, W] = x.shape;
  if (H === h && W === w) return tf.clone(x);
  return tf.slice(x, [0, Math.floor((H - h) / 2), Math.floor((W - w) / 2), 0], [-1, h, w, -1]);
}

/** The largest central window with the target's aspect ratio (Keras `crop_to_aspect_ratio`). */
export function aspectCrop(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  const [, H, W] = x.shape;
  const ch = Math.max(Math.min(H, Math.floor((W * h) / w)), 1);
  const cw = Math.max(Math.min(W, Math.floor((H * w) / h)), 1);
  return centralCrop(x, ch, cw);
}

/** Resizes as TF2's `tf.image.resize` (half-pixel centres, no antialias), which Keras' Resizing calls. */
export function resize(x: tf.Tensor4D, h: number, w: number, interpolation: Interpolation): tf.Tensor4D {
  return interpolation === 'nearest'
    ? tf.image.resizeNearestNeighbor(x, [h, w], false, true)
    : tf.image.resizeBilinear(x, [h, w], false, true);
}

/** Float32 NHWC: a rank-3 image gets a batch of one (`unbatch` undoes it). */
export function asBatch(input: tf.Tensor | tf.Tensor[]): { x: tf.Tensor4D; unbatch: boolean } {
  const t = Array.isArray(input) ? input[0] : input;
  const f = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
  return t.rank === 3
    ? { x: tf.expandDims(f, 0) as tf.Tensor4D, unbatch: true }
    : { x: f as tf.Tensor4D, unbatch: false };
}
