import * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../../errors/graft-error';
import type { LayerFactory } from '../residual';
import { GraftCenterCrop } from './center-crop-layer';
import type { Interpolation } from './image-ops';
import { GraftNormalization } from './normalization-layer';
import { GraftResizing } from './resizing-layer';

export interface NormalizationOptions {
  /** Axes of the batch shape with their own statistics (Keras default -1: per channel); null: one over all. */
  axis?: number | number[] | null;
  /** Known statistics instead of `adapt` (one value, or one per kept position). */
  mean?: number | number[];
  variance?: number | number[];
  name?: string;
}

export interface ResizingOptions {
  interpolation?: Interpolation;
  /** Crop the largest central window of the target's aspect ratio before resizing (Keras `crop_to_aspect_ratio`). */
  cropToAspectRatio?: boolean;
  name?: string;
}

function finite(v: unknown, what: string): void {
  if (!(typeof v === 'number' && Number.isFinite(v)))
    throw new GraftError('INVALID_LAYER', `expected ${what} as a finite number, got ${describe(v)}`);
}

function size(h: unknown, w: unknown, layer: string): void {
  for (const [v, what] of [
    [h, 'height'],
    [w, 'width'],
  ] as const)
    if (!(typeof v === 'number' && Number.isInteger(v) && v > 0))
      throw new GraftError('INVALID_LAYER', `expected ${layer} ${what} as a positive integer, got ${describe(v)}`);
}

/** Keras Rescaling: `x * scale + offset` (tfjs-layers' own layer, which matches Keras). */
export function rescalingStep(scale: number, offset = 0, options: { name?: string } = {}): LayerFactory {
  finite(scale, 'rescaling scale');
  finite(offset, 'rescaling offset');
  return (first) => tfl.layers.rescaling({ ...first, scale, offset, ...options });
}

export function resizingStep(height: number, width: number, options: ResizingOptions = {}): LayerFactory {
  size(height, width, 'resizing');
  const { interpolation } = options;
  if (interpolation !== undefined && interpolation !== 'bilinear' && interpolation !== 'nearest')
    throw new GraftError(
      'INVALID_LAYER',
      `expected resizing interpolation "bilinear" or "nearest", got ${describe(interpolation)}`,
    );
  return (first) => new GraftResizing({ ...first, height, width, ...options });
}

export function centerCropStep(height: number, width: number, options: { name?: string } = {}): LayerFactory {
  size(height, width, 'centerCrop');
  return (first) => new GraftCenterCrop({ ...first, height, width, ...options });
}

export function normalizationStep(options: NormalizationOptions = {}): LayerFactory {
  const { axis, mean, variance } = options;
  const axes = axis === null || axis === undefined ? [] : Array.isArray(axis) ? axis : [axis];
  if (axes.some((a) => !Number.isInteger(a) || a === 0))
    throw new GraftError(
      'INVALID_LAYER',
      `expected normalization axis as non-zero integers of the batch shape (0 is the batch), or null; got ${describe(axis)}`,
    );
  if ((mean === undefined) !== (variance === undefined))
    throw new GraftError('INVALID_LAYER', 'expected normalization mean and variance together, or neither (then adapt)');
  for (const [v, what] of [
    [mean, 'mean'],
    [variance, 'variance'],
  ] as const) {
    const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    for (const x of values) finite(x, `every normalization ${what}`);
    if (what === 'variance' && values.some((x) => x < 0))
      throw new GraftError('INVALID_LAYER', `expected normalization variance >= 0, got ${describe(v)}`);
  }
  return (first) => new GraftNormalization({ ...first, ...options });
}
