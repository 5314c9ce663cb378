import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../../errors/graft-error';
import type { Preprocessing } from '../../transfer/backbone';
import { checkImageSize } from './image-size';

function checkTriple(v: unknown, name: string, nonZero: boolean): [number, number, number] | undefined {
  if (v === undefined) return undefined;
  const ok =
    Array.isArray(v) &&
    v.length === 3 &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!nonZero || x !== 0));
  if (!ok) {
    throw new GraftError(
      'INVALID_OPTION',
      `preprocessing.${name} must be three finite numbers${nonZero ? ', none zero' : ''} (one per channel), got ${Array.isArray(v) ? `[${v.join(', ')}]` : describe(v)}`,
      { option: name },
    );
  }
  return v as [number, number, number];
}

function checkRange(v: unknown): [number, number] {
  if (v === undefined) return [0, 1];
  const ok =
    Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && v[0] !== v[1];
  if (!ok) {
    throw new GraftError(
      'INVALID_OPTION',
      `preprocessing.range must be [low, high] with two different finite numbers, got ${Array.isArray(v) ? `[${v.join(', ')}]` : describe(v)}`,
      { option: 'range' },
    );
  }
  return v as [number, number];
}

function checkBatch(batch: unknown): tf.Tensor4D {
  if (!(batch instanceof tf.Tensor) || batch.rank !== 4) {
    throw new GraftError('SHAPE_MISMATCH', `expected an image batch [N, height, width, 3], got ${describe(batch)}`);
  }
  if (batch.isDisposed) throw new GraftError('INVALID_DATA', 'expected a live image batch, got a disposed tensor');
  if (batch.shape[3] !== 3) {
    throw new GraftError(
      'CHANNEL_MISMATCH',
      `expected 3 (RGB) channels in the last axis, got ${batch.shape[3]} (shape [${batch.shape.join(', ')}])`,
      { expected: 3, given: batch.shape[3] },
    );
  }
  return batch as tf.Tensor4D;
}

/**
 * Turns raw RGB pixels (0..255, NHWC) into a backbone's input, in the order `Preprocessing` documents:
 * bilinear resize to `size`, channel reorder for 'bgr', scale 0..255 into `range` (default [0, 1]),
 * then `(x - mean) / std` per channel. `mean` and `std` are in the output channel order (BGR for 'bgr').
 * Returns a new float32 tensor; the input is not disposed.
 */
export function preprocess(batch: tf.Tensor4D, p: Preprocessing): tf.Tensor4D {
  const x = checkBatch(batch);
  if (typeof p !== 'object' || p === null) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected a preprocessing object {size, range?, mean?, std?, channelOrder?}, got ${describe(p)}`,
    );
  }
  const size = checkImageSize(p.size, 'preprocessing.size');
  const [low, high] = checkRange(p.range);
  const mean = checkTriple(p.mean, 'mean', false);
  const std = checkTriple(p.std, 'std', true);
  const order = p.channelOrder ?? 'rgb';
  if (order !== 'rgb' && order !== 'bgr') {
    throw new GraftError(
      'INVALID_OPTION',
      `preprocessing.channelOrder must be 'rgb' or 'bgr', got ${describe(order)}`,
      {
        option: 'channelOrder',
      },
    );
  }
  return tf.tidy(() => {
    let y: tf.Tensor4D = tf.cast(x, 'float32');
    if (y.shape[1] !== size[0] || y.shape[2] !== size[1]) y = tf.image.resizeBilinear(y, size, false, true);
    if (order === 'bgr') y = tf.reverse(y, 3);
    // One multiply-add instead of divide-then-shift: 0 -> low, 255 -> high.
    y = tf.add(tf.mul(y, (high - low) / 255), low);
    if (mean) y = tf.sub(y, tf.tensor1d(mean));
    if (std) y = tf.div(y, tf.tensor1d(std));
    return y;
  });
}
