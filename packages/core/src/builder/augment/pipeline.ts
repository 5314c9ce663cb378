import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../data/rng';
import { describe, GraftError, isGraftError } from '../../errors/graft-error';
import { brightness, contrast } from './colour';
import { type Factor, factorRange, type Range } from './factors';
import { type Fill, type FlipMode, flip, rotate, translate, zoom } from './geometric';
import { FLIP_MODES } from './layers';

/** `transfer(base).augment({...})`: Keras' augmentation layers' factors, applied in this order to raw 0..255 pixels. */
export interface AugmentSpec {
  /** RandomFlip's mode (true: 'horizontal'). */
  flip?: FlipMode | boolean;
  /** RandomRotation's factor, a fraction of 2pi. */
  rotation?: Factor;
  /** RandomZoom's height factor (the width keeps the aspect ratio). */
  zoom?: Factor;
  /** RandomTranslation's factor, for the height and the width alike. */
  translation?: Factor;
  /** RandomContrast's factor. */
  contrast?: Factor;
  /** RandomBrightness's factor (of 0..255). */
  brightness?: Factor;
  /** Augmented views per image whose features a frozen base computes once (default 4), besides the clean one. */
  views?: number;
  /** Seeds the draws (default: the fit's seed). */
  seed?: number;
}

export const DEFAULT_VIEWS = 4;

/** A validated augmentation: a function of a batch and a stream, and a key naming it (for the feature cache). */
export interface Augmentation {
  readonly views: number;
  readonly seed?: number;
  readonly key: string;
  apply(x: tf.Tensor4D, rng: Rng): tf.Tensor4D;
}

type Op = (x: tf.Tensor4D, rng: Rng) => tf.Tensor4D;

const FILL: Fill = { fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0 };
const PIXELS: Range = [0, 255];

function ops(spec: AugmentSpec): Op[] {
  const out: Op[] = [];
  if (spec.flip !== undefined && spec.flip !== false) {
    const mode = spec.flip === true ? 'horizontal' : spec.flip;
    if (!(FLIP_MODES as readonly unknown[]).includes(mode))
      throw new GraftError(
        'INVALID_LAYER',
        `expected flip among true, ${FLIP_MODES.join(', ')}, got ${describe(mode)}`,
      );
    out.push((x, rng) => flip(x, mode, rng));
  }
  if (spec.rotation !== undefined) {
    const r = factorRange(spec.rotation, 'rotation (a fraction of 2pi)');
    out.push((x, rng) => rotate(x, r, FILL, rng));
  }
  if (spec.zoom !== undefined) {
    const r = factorRange(spec.zoom, 'zoom', { min: -1, above: true });
    out.push((x, rng) => zoom(x, r, null, FILL, rng));
  }
  if (spec.translation !== undefined) {
    const r = factorRange(spec.translation, 'translation', { min: -1, max: 1 });
    out.push((x, rng) => translate(x, r, r, FILL, rng));
  }
  if (spec.contrast !== undefined) out.push(contrastOp(spec.contrast));
  if (spec.brightness !== undefined) {
    const r = factorRange(spec.brightness, 'brightness', { min: -1, max: 1 });
    out.push((x, rng) => brightness(x, r, PIXELS, rng));
  }
  return out;
}

function contrastOp(factor: Factor): Op {
  const [lower, upper] = Array.isArray(factor) ? factor : [factor, factor];
  if (![lower, upper].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) || lower > 1)
    throw new GraftError(
      'INVALID_LAYER',
      `expected contrast as a number or [lower, upper], lower in [0, 1] and upper >= 0, got ${describe(factor)}`,
    );
  const r: Range = [1 - lower, 1 + upper];
  return (x, rng) => contrast(x, r, PIXELS, rng);
}

/** Checks `spec` (INVALID_OPTION) and composes it; each op frees what it made before the next runs. */
export function augmentation(spec: AugmentSpec): Augmentation {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new GraftError('INVALID_OPTION', `expected augment({ flip, rotation, ... }), got ${describe(spec)}`);
  const { views = DEFAULT_VIEWS, seed } = spec;
  if (!(Number.isInteger(views) && views >= 1))
    throw new GraftError('INVALID_OPTION', `expected augment views as an integer >= 1, got ${describe(views)}`);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new GraftError('INVALID_OPTION', `expected augment seed as an integer, got ${describe(seed)}`);
  let steps: Op[];
  try {
    steps = ops(spec);
  } catch (e) {
    if (isGraftError(e, 'INVALID_LAYER')) throw new GraftError('INVALID_OPTION', `augment: ${e.message}`);
    throw e;
  }
  if (steps.length === 0)
    throw new GraftError(
      'INVALID_OPTION',
      'expected augment to name at least one of flip, rotation, zoom, translation, contrast, brightness',
    );
  const apply = (x: tf.Tensor4D, rng: Rng) =>
    steps.reduce((y, op) => {
      const next = op(y, rng);
      if (y !== x) y.dispose();
      return next;
    }, x);
  return { views, seed, key: JSON.stringify(spec), apply };
}
