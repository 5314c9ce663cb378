import { layerKit } from '../layer-kit-loader';
import type { LayerFactory } from '../residual';
import type { Factor } from './factors';
import type { FlipMode } from './geometric';
import { type AugmentClass, type augmentArgs, checkAugmentArgs, type FillArgs } from './layer-args';

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

/**
 * A factory for the builder: the arguments are checked now, at the call that names them; the layer is made when the
 * network is built (its class loads before that, layer-kit-loader.ts).
 */
function step<K extends AugmentClass>(cls: K, args: Parameters<(typeof augmentArgs)[K]>[0]): LayerFactory {
  checkAugmentArgs(cls, args);
  return (first) => {
    const Layer = layerKit()[cls] as unknown as new (a: typeof args) => ReturnType<LayerFactory>;
    return new Layer({ ...first, ...args });
  };
}

export const augmentSteps = {
  randomFlip: (mode: FlipMode | undefined, o: AugmentOptions) => step('RandomFlip', { ...o, mode }),
  randomRotation: (factor: Factor, o: AffineOptions) => step('RandomRotation', { ...o, factor }),
  randomZoom: (heightFactor: Factor, widthFactor: Factor | undefined, o: AffineOptions) =>
    step('RandomZoom', { ...o, heightFactor, widthFactor }),
  randomTranslation: (heightFactor: Factor, widthFactor: Factor, o: AffineOptions) =>
    step('RandomTranslation', { ...o, heightFactor, widthFactor }),
  randomCrop: (height: number, width: number, o: AugmentOptions) => step('RandomCrop', { ...o, height, width }),
  randomContrast: (factor: Factor, o: ColourOptions) => step('RandomContrast', { ...o, factor }),
  randomBrightness: (factor: Factor, o: ColourOptions) => step('RandomBrightness', { ...o, factor }),
};
