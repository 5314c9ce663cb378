import { AUGMENT_LAYERS } from './augment/layers';
import { GraftCenterCrop } from './preprocess/center-crop-layer';
import { GraftNormalization } from './preprocess/normalization-layer';
import { GraftResizing } from './preprocess/resizing-layer';

/**
 * graft's own tfjs layers (Keras' augmentation and image preprocessing layers). Importing this module registers them
 * with tfjs' serialization (so a saved model that uses them loads); layer-kit-loader.ts hands them to the builders.
 */
export const layerKit = {
  ...AUGMENT_LAYERS,
  GraftNormalization,
  GraftResizing,
  GraftCenterCrop,
};
export type LayerKit = typeof layerKit;
