import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../data/rng';
import { AugmentLayer } from './augment-layer';
import { brightness, contrast } from './colour';
import type { Range } from './factors';
import { type Fill, type FlipMode, flip, randomCrop, rotate, smartResize, translate, zoom } from './geometric';
import {
  augmentArgs,
  type ColourArgs,
  type CropArgs,
  type FlipArgs,
  type RotationArgs,
  type TranslationArgs,
  type ZoomArgs,
} from './layer-args';

export type { FillArgs } from './layer-args';

export class RandomFlip extends AugmentLayer {
  static className = 'RandomFlip';
  private readonly mode: FlipMode;
  constructor(args: FlipArgs) {
    super(args);
    this.mode = augmentArgs.RandomFlip(args).mode;
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
  constructor(args: RotationArgs) {
    super(args);
    ({ factor: this.factor, fill: this.fill } = augmentArgs.RandomRotation(args));
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
  constructor(args: ZoomArgs) {
    super(args);
    ({ height: this.height, width: this.width, fill: this.fill } = augmentArgs.RandomZoom(args));
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
  constructor(args: TranslationArgs) {
    super(args);
    ({ height: this.height, width: this.width, fill: this.fill } = augmentArgs.RandomTranslation(args));
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
  constructor(args: CropArgs) {
    super(args);
    ({ height: this.height, width: this.width } = augmentArgs.RandomCrop(args));
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
  constructor(args: ColourArgs) {
    super(args);
    ({ factor: this.factor, valueRange: this.valueRange } = augmentArgs.RandomContrast(args));
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
  constructor(args: ColourArgs) {
    super(args);
    ({ factor: this.factor, valueRange: this.valueRange } = augmentArgs.RandomBrightness(args));
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
