import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../data/rng';
import { describe, GraftError } from '../../errors/graft-error';
import { type AugmentArgs, AugmentLayer } from './augment-layer';
import { brightness, contrast } from './colour';
import { type Factor, factorRange, oneOf, type Range, valueRange } from './factors';
import {
  type Fill,
  type FillMode,
  type FlipMode,
  flip,
  type Interpolation,
  randomCrop,
  rotate,
  smartResize,
  translate,
  zoom,
} from './geometric';

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

export class RandomFlip extends AugmentLayer {
  static className = 'RandomFlip';
  private readonly mode: FlipMode;
  constructor(args: AugmentArgs & { mode?: FlipMode }) {
    super(args);
    this.mode = oneOf(args.mode, FLIP_MODES, 'randomFlip mode', 'horizontal_and_vertical');
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return flip(x, this.mode, rng);
  }
  protected args() {
    return { mode: this.mode };
  }
}

export class RandomRotation extends AugmentLayer {
  static className = 'RandomRotation';
  private readonly factor: Range;
  private readonly fill: Fill;
  constructor(args: AugmentArgs & FillArgs & { factor: Factor }) {
    super(args);
    this.factor = factorRange(args.factor, 'randomRotation factor (a fraction of 2pi)');
    this.fill = fillOf(args, 'randomRotation');
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return rotate(x, this.factor, this.fill, rng);
  }
  protected args() {
    return { factor: this.factor, ...this.fill };
  }
}

export class RandomZoom extends AugmentLayer {
  static className = 'RandomZoom';
  private readonly height: Range;
  private readonly width: Range | null;
  private readonly fill: Fill;
  constructor(args: AugmentArgs & FillArgs & { heightFactor: Factor; widthFactor?: Factor | null }) {
    super(args);
    const bounds = { min: -1, above: true };
    this.height = factorRange(args.heightFactor, 'randomZoom heightFactor', bounds);
    this.width = args.widthFactor == null ? null : factorRange(args.widthFactor, 'randomZoom widthFactor', bounds);
    this.fill = fillOf(args, 'randomZoom');
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return zoom(x, this.height, this.width, this.fill, rng);
  }
  protected args() {
    return { heightFactor: this.height, widthFactor: this.width, ...this.fill };
  }
}

export class RandomTranslation extends AugmentLayer {
  static className = 'RandomTranslation';
  private readonly height: Range;
  private readonly width: Range;
  private readonly fill: Fill;
  constructor(args: AugmentArgs & FillArgs & { heightFactor: Factor; widthFactor: Factor }) {
    super(args);
    const bounds = { min: -1, max: 1 };
    this.height = factorRange(args.heightFactor, 'randomTranslation heightFactor', bounds);
    this.width = factorRange(args.widthFactor, 'randomTranslation widthFactor', bounds);
    this.fill = fillOf(args, 'randomTranslation');
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return translate(x, this.height, this.width, this.fill, rng);
  }
  protected args() {
    return { heightFactor: this.height, widthFactor: this.width, ...this.fill };
  }
}

export class RandomCrop extends AugmentLayer {
  static className = 'RandomCrop';
  private readonly height: number;
  private readonly width: number;
  constructor(args: AugmentArgs & { height: number; width: number }) {
    super(args);
    for (const key of ['height', 'width'] as const)
      if (!(Number.isInteger(args[key]) && args[key] > 0))
        throw new GraftError(
          'INVALID_LAYER',
          `expected randomCrop ${key} as a positive integer, got ${describe(args[key])}`,
        );
    this.height = args.height;
    this.width = args.width;
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return randomCrop(x, this.height, this.width, rng);
  }
  protected override infer(x: tf.Tensor4D) {
    return smartResize(x, this.height, this.width);
  }
  override computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = super.computeOutputShape(shape) as tfl.Shape;
    return [s[0], this.height, this.width, s[3]];
  }
  protected args() {
    return { height: this.height, width: this.width };
  }
}

export class RandomContrast extends AugmentLayer {
  static className = 'RandomContrast';
  private readonly factor: Range;
  private readonly valueRange: Range;
  constructor(args: AugmentArgs & { factor: Factor; valueRange?: [number, number] }) {
    super(args);
    // Keras: one number f is (f, f); the multiplier is drawn from [1 - lower, 1 + upper], lower in [0, 1], upper >= 0
    const f = args.factor as unknown;
    const [lower, upper] = Array.isArray(f) && f.length === 2 ? f : [f, f];
    const ok = [lower, upper].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) && lower <= 1;
    if (!ok)
      throw new GraftError(
        'INVALID_LAYER',
        `expected randomContrast factor as a number or [lower, upper], lower in [0, 1] and upper >= 0, got ${describe(f)}`,
      );
    this.factor = [1 - lower, 1 + upper];
    this.valueRange = valueRange(args.valueRange, 'randomContrast');
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return contrast(x, this.factor, this.valueRange, rng);
  }
  protected args() {
    return { factor: [1 - this.factor[0], this.factor[1] - 1], valueRange: this.valueRange };
  }
}

export class RandomBrightness extends AugmentLayer {
  static className = 'RandomBrightness';
  private readonly factor: Range;
  private readonly valueRange: Range;
  constructor(args: AugmentArgs & { factor: Factor; valueRange?: [number, number] }) {
    super(args);
    this.factor = factorRange(args.factor, 'randomBrightness factor', { min: -1, max: 1 });
    this.valueRange = valueRange(args.valueRange, 'randomBrightness');
  }
  protected augment(x: tf.Tensor4D, rng: Rng) {
    return brightness(x, this.factor, this.valueRange, rng);
  }
  protected args() {
    return { factor: this.factor, valueRange: this.valueRange };
  }
}

/** Registered under Keras' class names, so a saved model loads with them. */
export const AUGMENT_LAYERS = {
  RandomFlip,
  RandomRotation,
  RandomZoom,
  RandomTranslation,
  RandomCrop,
  RandomContrast,
  RandomBrightness,
};
for (const cls of Object.values(AUGMENT_LAYERS)) tf.serialization.registerClass(cls);
