import { describe, GraftError, isGraftError } from '../../errors/graft-error';
import { type Factor, factorRange, type Range } from './factors';
import type { FlipMode } from './geometric';
import { FLIP_MODES } from './layer-args';

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

/** One checked step of an augmentation; pipeline.ts (loaded with the first augmented fit) runs it. */
export type AugmentOp =
  | { op: 'flip'; mode: FlipMode }
  | { op: 'rotation' | 'zoom' | 'translation' | 'contrast' | 'brightness'; range: Range };

/** A validated augmentation: its steps in order, and a key naming it (for the feature cache). */
export interface Augmentation {
  readonly views: number;
  readonly seed?: number;
  readonly key: string;
  readonly ops: readonly AugmentOp[];
}

function flipOp(flip: FlipMode | boolean): AugmentOp {
  const mode = flip === true ? 'horizontal' : flip;
  if (!(FLIP_MODES as readonly unknown[]).includes(mode))
    throw new GraftError('INVALID_LAYER', `expected flip among true, ${FLIP_MODES.join(', ')}, got ${describe(mode)}`);
  return { op: 'flip', mode: mode as FlipMode };
}

/** RandomContrast's factor as Keras reads it: the multiplier's range [1 - lower, 1 + upper]. */
function contrastRange(factor: Factor): Range {
  const [lower, upper] = Array.isArray(factor) ? factor : [factor, factor];
  if (![lower, upper].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) || lower > 1)
    throw new GraftError(
      'INVALID_LAYER',
      `expected contrast as a number or [lower, upper], lower in [0, 1] and upper >= 0, got ${describe(factor)}`,
    );
  return [1 - lower, 1 + upper];
}

function ops(spec: AugmentSpec): AugmentOp[] {
  const out: AugmentOp[] = [];
  if (spec.flip !== undefined && spec.flip !== false) out.push(flipOp(spec.flip));
  if (spec.rotation !== undefined)
    out.push({ op: 'rotation', range: factorRange(spec.rotation, 'rotation (a fraction of 2pi)') });
  if (spec.zoom !== undefined)
    out.push({ op: 'zoom', range: factorRange(spec.zoom, 'zoom', { min: -1, above: true }) });
  if (spec.translation !== undefined)
    out.push({ op: 'translation', range: factorRange(spec.translation, 'translation', { min: -1, max: 1 }) });
  if (spec.contrast !== undefined) out.push({ op: 'contrast', range: contrastRange(spec.contrast) });
  if (spec.brightness !== undefined)
    out.push({ op: 'brightness', range: factorRange(spec.brightness, 'brightness', { min: -1, max: 1 }) });
  return out;
}

/** Checks `spec` (INVALID_OPTION) and lists its steps. */
export function augmentation(spec: AugmentSpec): Augmentation {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new GraftError('INVALID_OPTION', `expected augment({ flip, rotation, ... }), got ${describe(spec)}`);
  const { views = DEFAULT_VIEWS, seed } = spec;
  if (!(Number.isInteger(views) && views >= 1))
    throw new GraftError('INVALID_OPTION', `expected augment views as an integer >= 1, got ${describe(views)}`);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new GraftError('INVALID_OPTION', `expected augment seed as an integer, got ${describe(seed)}`);
  let steps: AugmentOp[];
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
  return { views, seed, key: JSON.stringify(spec), ops: steps };
}
