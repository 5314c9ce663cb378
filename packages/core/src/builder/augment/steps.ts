import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerFactory } from '../residual';
import type { Factor } from './factors';
import type { FlipMode } from './geometric';
import {
  type FillArgs,
  RandomBrightness,
  RandomContrast,
  RandomCrop,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
} from './layers';

export interface AugmentOptions {
  /** Seeds the layer's draws (a seeded fit re-seeds it per batch instead). */
  seed?: number;
  name?: string;
}
export type AffineOptions = AugmentOptions & FillArgs;
export interface ColourOptions extends AugmentOptions {
  /** The pixel range of the input, Keras' value_range (default [0, 255]); outputs are clipped to it. */
  valueRange?: [number, number];
}

/** A factory for the builder; the arguments are checked now, at the call that names them (one throwaway layer). */
function step(make: (first: { inputShape?: number[] }) => tfl.layers.Layer): LayerFactory {
  make({});
  return (first) => make(first);
}

export const augmentSteps = {
  randomFlip: (mode: FlipMode | undefined, o: AugmentOptions) => step((f) => new RandomFlip({ ...f, ...o, mode })),
  randomRotation: (factor: Factor, o: AffineOptions) => step((f) => new RandomRotation({ ...f, ...o, factor })),
  randomZoom: (heightFactor: Factor, widthFactor: Factor | undefined, o: AffineOptions) =>
    step((f) => new RandomZoom({ ...f, ...o, heightFactor, widthFactor })),
  randomTranslation: (heightFactor: Factor, widthFactor: Factor, o: AffineOptions) =>
    step((f) => new RandomTranslation({ ...f, ...o, heightFactor, widthFactor })),
  randomCrop: (height: number, width: number, o: AugmentOptions) =>
    step((f) => new RandomCrop({ ...f, ...o, height, width })),
  randomContrast: (factor: Factor, o: ColourOptions) => step((f) => new RandomContrast({ ...f, ...o, factor })),
  randomBrightness: (factor: Factor, o: ColourOptions) => step((f) => new RandomBrightness({ ...f, ...o, factor })),
};
