import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../../errors/graft-error';

/**
 * An existing [H, W, 3] or [1, H, W, 3] tensor as a new float32 [H, W, 3] tensor (the caller keeps
 * ownership of the input). Values are taken to be 0..255 already; they are not checked (that would
 * mean downloading them from the device).
 */
export function tensorToImage(t: tf.Tensor): tf.Tensor3D {
  if (t.isDisposed) throw new GraftError('INVALID_DATA', 'expected a live image tensor, got a disposed tensor');
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new GraftError('INVALID_DATA', `expected an image tensor of dtype float32 or int32, got ${t.dtype}`);
  }
  const shape = t.shape;
  if (t.rank !== 3 && t.rank !== 4) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `expected an image tensor [height, width, 3] or [1, height, width, 3], got shape [${shape.join(', ')}]`,
      { given: shape },
    );
  }
  if (t.rank === 4 && shape[0] !== 1) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `expected one image ([1, height, width, 3]), got a batch of ${shape[0]} (shape [${shape.join(', ')}]); pass each image separately`,
      { given: shape },
    );
  }
  const channels = shape[shape.length - 1];
  if (channels !== 3) {
    throw new GraftError(
      'CHANNEL_MISMATCH',
      `expected 3 (RGB) channels in the last axis, got ${channels} (shape [${shape.join(', ')}])` +
        (channels === 1 ? '; tile grey images to RGB first' : channels === 4 ? '; drop the alpha channel first' : ''),
      { expected: 3, given: channels },
    );
  }
  const h = shape[shape.length - 3];
  const w = shape[shape.length - 2];
  if (h === 0 || w === 0) {
    throw new GraftError('INVALID_IMAGE', `expected a non-empty image, got shape [${shape.join(', ')}]`);
  }
  return tf.tidy(() => tf.cast(tf.reshape(t, [h, w, 3]), 'float32') as tf.Tensor3D);
}
