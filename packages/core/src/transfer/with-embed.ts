import type * as tf from '@tensorflow/tfjs-core';
import type { PredictInput } from '../model/predict-input';
import type { Backbone } from './backbone';
import type { EmbedOptions } from './embed';

/** `base.embed(x)`: the public feature-extraction call on a base, as `embed(base, x)`. */
export interface Embeds {
  /**
   * Embeddings [n, d] of images (paths, bytes, pixels, raw 0..255 tensors, a Dataset) through the base up to its
   * feature layer, pooled (`pooling`, default 'avg') and preprocessed as the base says; a float32 tensor the
   * caller owns. Keras: `base.predict(x)` on a headless base with `pooling='avg'`.
   */
  embed(x: PredictInput, options?: EmbedOptions): Promise<tf.Tensor2D>;
}

/**
 * Gives a backbone its `embed` method (backbone packages call it on what they return). Not enumerable, so a
 * backbone's own fields are what spreading or printing it shows; a base that has an `embed` of its own keeps it.
 */
export function withEmbed<B extends Backbone>(backbone: B): B & Embeds {
  if (typeof (backbone as Partial<Embeds>).embed !== 'function')
    Object.defineProperty(backbone, 'embed', {
      // embed's code (input reading, batching) loads with the first call, as the top-level `embed`'s does
      value: async (x: PredictInput, options?: EmbedOptions) => (await import('./embed')).embed(backbone, x, options),
      enumerable: false,
      configurable: true,
      writable: true,
    });
  return backbone as B & Embeds;
}
