import { GraftError } from '../errors/graft-error';
import type { LayerKit } from './layer-kit';

// The layer classes behind `normalization()`, `resizing()`, `centerCrop()` and the `random*()` augmentation methods
// are not in the bundle an app downloads up front: they load with the first fit, predict, evaluate, save or
// loadModel (or at once with `import '@graftjs/core/layers'`).

let kit: LayerKit | undefined;

/** For `@graftjs/core/layers`, which imports the classes statically. */
export function installLayerKit(k: LayerKit): void {
  kit = k;
}

export async function loadLayerKit(): Promise<LayerKit> {
  kit ??= (await import('./layer-kit')).layerKit;
  return kit;
}

/** The layer classes, for building a network synchronously; refused (NOT_BUILT) until they have loaded. */
export function layerKit(): LayerKit {
  if (kit) return kit;
  throw new GraftError(
    'NOT_BUILT',
    "this model's preprocessing or augmentation layers load with its first fit, predict, evaluate or save: await one of those (or `await model.ready()`) before reading `net` or calling summary(), or `import '@graftjs/core/layers'` once to have them up front",
  );
}
