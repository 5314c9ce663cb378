import { describe, GraftError } from '../../errors/graft-error';
import { type Factor, factorRange, oneOf, type Range, seedOf, valueRange } from './factors';
import type { Fill, FillMode, FlipMode, Interpolation } from './geometric';

// The augmentation layers' arguments, checked and normalised. The builder checks them at the call that names them
// (here, without the layer classes, which load with the first fit or predict); the layers read them the same way.

export const FLIP_MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;
const FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
const INTERPOLATIONS = ['bilinear', 'nearest'] as const;

export interface FillArgs {
  /** Keras default 'reflect'. */
  fillMode?: FillMode;
  /** Keras default 'bilinear'. */
  interpolation?: Interpolation;
  /** Used by fillMode 'constant' (default 0). */
  fillValue?: number;
}

export interface AugmentArgs {
  seed?: number;
  name?: string;
  inputShape?: number[];
}

export type FlipArgs = AugmentArgs & { mode?: FlipMode };
export type RotationArgs = AugmentArgs & FillArgs & { factor: Factor };
export type ZoomArgs = AugmentArgs & FillArgs & { heightFactor: Factor; widthFactor?: Factor | null };
export type TranslationArgs = AugmentArgs & FillArgs & { heightFactor: Factor; widthFactor: Factor };
export type CropArgs = AugmentArgs & { height: number; width: number };
export type ColourArgs = AugmentArgs & { factor: Factor; valueRange?: [number, number] };

function fillOf(args: FillArgs, what: string): Fill {
  const fillValue = args.fillValue ?? 0;
  if (!Number.isFinite(fillValue))
    throw new GraftError('INVALID_LAYER', `expected ${what} fillValue as a number, got ${describe(fillValue)}`);
  return {
    fillMode: oneOf(args.fillMode, FILL_MODES, `${what} fillMode`, 'reflect'),
    interpolation: oneOf(args.interpolation, INTERPOLATIONS, `${what} interpolation`, 'bilinear'),
    fillValue,
  };
}

/** Each layer's own arguments from what the builder (or a saved config) gives it, by Keras class name. */
export const augmentArgs = {
  RandomFlip: (a: FlipArgs) => ({ mode: oneOf(a.mode, FLIP_MODES, 'randomFlip mode', 'horizontal_and_vertical') }),
  RandomRotation: (a: RotationArgs) => ({
    factor: factorRange(a.factor, 'randomRotation factor (a fraction of 2pi)'),
    fill: fillOf(a, 'randomRotation'),
  }),
  RandomZoom: (a: ZoomArgs) => {
    const bounds = { min: -1, above: true };
    const height = factorRange(a.heightFactor, 'randomZoom heightFactor', bounds);
    const width = a.widthFactor == null ? null : factorRange(a.widthFactor, 'randomZoom widthFactor', bounds);
    return { height, width, fill: fillOf(a, 'randomZoom') };
  },
  RandomTranslation: (a: TranslationArgs) => {
    const bounds = { min: -1, max: 1 };
    const height = factorRange(a.heightFactor, 'randomTranslation heightFactor', bounds);
    const width = factorRange(a.widthFactor, 'randomTranslation widthFactor', bounds);
    return { height, width, fill: fillOf(a, 'randomTranslation') };
  },
  RandomCrop: (a: CropArgs) => {
    for (const key of ['height', 'width'] as const)
      if (!(Number.isInteger(a[key]) && a[key] > 0))
        throw new GraftError(
          'INVALID_LAYER',
          `expected randomCrop ${key} as a positive integer, got ${describe(a[key])}`,
        );
    return { height: a.height, width: a.width };
  },
  RandomContrast: (a: ColourArgs) => {
    // Keras: one number f is (f, f); the multiplier is drawn from [1 - lower, 1 + upper], lower in [0, 1], upper >= 0
    const f = a.factor as unknown;
    const [lower, upper] = Array.isArray(f) && f.length === 2 ? f : [f, f];
    const ok = [lower, upper].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) && lower <= 1;
    if (!ok)
      throw new GraftError(
        'INVALID_LAYER',
        `expected randomContrast factor as a number or [lower, upper], lower in [0, 1] and upper >= 0, got ${describe(f)}`,
      );
    const factor: Range = [1 - lower, 1 + upper];
    return { factor, valueRange: valueRange(a.valueRange, 'randomContrast') };
  },
  RandomBrightness: (a: ColourArgs) => ({
    factor: factorRange(a.factor, 'randomBrightness factor', { min: -1, max: 1 }),
    valueRange: valueRange(a.valueRange, 'randomBrightness'),
  }),
};

export type AugmentClass = keyof typeof augmentArgs;

/** Checks a layer's arguments as its constructor will (the seed too), so a bad one throws at the builder call. */
export function checkAugmentArgs<K extends AugmentClass>(cls: K, args: Parameters<(typeof augmentArgs)[K]>[0]): void {
  seedOf(args.seed, cls);
  (augmentArgs[cls] as (a: typeof args) => unknown)(args);
}
