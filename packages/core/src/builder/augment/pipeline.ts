import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../data/rng';
import type { Augmentation, AugmentOp } from './augment-spec';
import { brightness, contrast } from './colour';
import type { Range } from './factors';
import { type Fill, flip, rotate, translate, zoom } from './geometric';

// Runs a checked augmentation (augment-spec.ts); loads with the first fit that augments.

const FILL: Fill = { fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0 };
const PIXELS: Range = [0, 255];

function run(step: AugmentOp, x: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  if (step.op === 'flip') return flip(x, step.mode, rng);
  const r = step.range;
  if (step.op === 'rotation') return rotate(x, r, FILL, rng);
  if (step.op === 'zoom') return zoom(x, r, null, FILL, rng);
  if (step.op === 'translation') return translate(x, r, r, FILL, rng);
  if (step.op === 'contrast') return contrast(x, r, PIXELS, rng);
  return brightness(x, r, PIXELS, rng);
}

/** `aug`'s steps on a batch, in order, each drawing from `rng`; each frees what the one before made. */
export function applyAugmentation(aug: Augmentation, x: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  return aug.ops.reduce((y, step) => {
    const next = run(step, y, rng);
    if (y !== x) y.dispose();
    return next;
  }, x);
}
