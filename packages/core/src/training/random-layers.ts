import type { LayersModel } from '@tensorflow/tfjs-layers';

interface SeedableLayer {
  seed?: number;
}

type AnyLayer = { getClassName(): string; layers?: AnyLayer[] };

// the augmentation layers (builder/augment) draw from a seed the loop sets, as Dropout does
const RANDOM_LAYERS = [
  ...['Dropout', 'SpatialDropout1D', 'GaussianDropout', 'AlphaDropout', 'GaussianNoise'],
  ...['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomCrop'],
  ...['RandomContrast', 'RandomBrightness'],
];

/**
 * Dropout and augmentation layers, nested models included. The loop gives each a fresh seed per batch when the fit is
 * seeded: tfjs would otherwise draw from Math.random, and a fixed layer seed repeats one mask forever.
 */
export function dropoutLayers(net: LayersModel): SeedableLayer[] {
  const out: SeedableLayer[] = [];
  const walk = (layers: AnyLayer[]) => {
    for (const l of layers) {
      if (l.layers) walk(l.layers);
      else if (RANDOM_LAYERS.includes(l.getClassName())) {
        out.push(l as unknown as SeedableLayer);
      }
    }
  };
  walk(net.layers as unknown as AnyLayer[]);
  return out;
}
