import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../data/rng';
import { draw, type Range } from './factors';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type Interpolation = 'bilinear' | 'nearest';

/** How an affine augmentation samples outside the image (Keras: fill_mode, interpolation, fill_value). */
export interface Fill {
  fillMode: FillMode;
  interpolation: Interpolation;
  fillValue: number;
}

/** Each image flipped left-right and/or up-down with probability 1/2 (Keras RandomFlip). */
export function flip(x: tf.Tensor4D, mode: FlipMode, rng: Rng): tf.Tensor4D {
  const n = x.shape[0];
  const axes: number[] = [];
  if (mode !== 'vertical') axes.push(2);
  if (mode !== 'horizontal') axes.push(1);
  const coins = axes.map(() => Array.from({ length: n }, () => rng.next() < 0.5));
  return tf.tidy(() => {
    let y = x;
    axes.forEach((axis, i) => {
      const mask = tf.broadcastTo(tf.tensor4d(coins[i], [n, 1, 1, 1], 'bool'), y.shape);
      y = tf.where(mask, tf.reverse(y, axis), y) as tf.Tensor4D;
    });
    return y;
  });
}

/**
 * Rows of per-image output-to-input maps, as tf.image.transform takes them, applied one image at a time:
 * tfjs-backend-cpu 4.22's Transform returns after the first image of a batch (the rest come back zero).
 */
function transformed(x: tf.Tensor4D, rows: number[][], fill: Fill): tf.Tensor4D {
  return tf.tidy(() => {
    const images = tf.split(x, rows.length, 0) as tf.Tensor4D[];
    const out = images.map((img, i) =>
      tf.image.transform(img, tf.tensor2d([rows[i]]), fill.interpolation, fill.fillMode, fill.fillValue),
    );
    return out.length === 1 ? out[0] : tf.concat(out, 0);
  });
}

/** Each image rotated by `factor` x 2pi radians, counter-clockwise for positive values (Keras RandomRotation). */
export function rotate(x: tf.Tensor4D, factor: Range, fill: Fill, rng: Rng): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const rows = Array.from({ length: n }, () => {
    const a = draw(factor, rng.next) * 2 * Math.PI;
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    const dx = (w - 1 - (cos * (w - 1) - sin * (h - 1))) / 2;
    const dy = (h - 1 - (sin * (w - 1) + cos * (h - 1))) / 2;
    return [cos, -sin, dx, sin, cos, dy, 0, 0];
  });
  return transformed(x, rows, fill);
}

/** Each image zoomed by 1 + a draw from the ranges: positive zooms out (Keras RandomZoom); width follows height when null. */
export function zoom(x: tf.Tensor4D, height: Range, width: Range | null, fill: Fill, rng: Rng): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const rows = Array.from({ length: n }, () => {
    const zy = 1 + draw(height, rng.next);
    const zx = width ? 1 + draw(width, rng.next) : zy;
    return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0];
  });
  return transformed(x, rows, fill);
}

/** Each image shifted by a fraction of its height and width; positive moves down and right (Keras RandomTranslation). */
export function translate(x: tf.Tensor4D, height: Range, width: Range, fill: Fill, rng: Rng): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const rows = Array.from({ length: n }, () => {
    const dy = draw(height, rng.next) * h;
    const dx = draw(width, rng.next) * w;
    return [1, 0, -dx, 0, 1, -dy, 0, 0];
  });
  return transformed(x, rows, fill);
}

/** One random `height` x `width` window for the whole batch (Keras RandomCrop while training). */
export function randomCrop(x: tf.Tensor4D, height: number, width: number, rng: Rng): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h < height || w < width) return smartResize(x, height, width);
  const top = rng.int(h - height + 1);
  const left = rng.int(w - width + 1);
  return tf.slice(x, [0, top, left, 0], [-1, height, width, -1]);
}

/**
 * Keras' smart_resize (RandomCrop at inference): the largest centred window with the target's aspect ratio,
 * resized bilinearly to the target.
 */
export function smartResize(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const cropH = Math.min(h, Math.floor((w * height) / width));
  const cropW = Math.min(w, Math.floor((h * width) / height));
  const top = Math.floor((h - cropH) / 2);
  const left = Math.floor((w - cropW) / 2);
  return tf.tidy(() => {
    const window = tf.slice(x, [0, top, left, 0], [-1, cropH, cropW, -1]);
    if (cropH === height && cropW === width) return window.clone();
    return tf.image.resizeBilinear(window, [height, width], false, true);
  });
}
