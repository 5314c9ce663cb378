import type * as tf from '@tensorflow/tfjs-core';
import type { SampleSpec } from '../model/feature-stage';
import { toPredictBatch } from '../model/predict-input';
import type { Backbone, Preprocessing } from './backbone';
import { computeFeatures } from './compute-features';

/** How a base turns raw samples into features: the samples it takes, and features of one batch of them. */
export interface EmbedSource {
  spec: SampleSpec;
  extract(rows: tf.Tensor): Promise<tf.Tensor>;
}

/** Embeddings [n, d], and whether the input was one sample (so the caller answers with one result). */
export interface Embedded {
  embeddings: tf.Tensor2D;
  single: boolean;
}

/**
 * Embeddings [n, d] of whatever `predict` takes (paths, bytes, pixels, tensors, a Dataset, texts), computed batch by
 * batch by `extract`. The batch made from the input is freed here; the result belongs to the caller.
 */
export async function embedInput(x: unknown, source: EmbedSource): Promise<Embedded> {
  const { batch, single } = await toPredictBatch(x, source.spec);
  try {
    return { embeddings: (await computeFeatures(batch, source.extract)) as tf.Tensor2D, single };
  } finally {
    batch.dispose();
  }
}

/** What one raw sample of a base looks like: an RGB image of any size when it preprocesses pixels, else its input. */
export function rawSampleSpec(backbone: Backbone, pre: Preprocessing | undefined): SampleSpec {
  const text = backbone.kind === 'extractor' && backbone.input === 'text';
  return { preprocessing: pre, sampleShape: () => (pre ? [null, null, 3] : text ? [null] : backbone.inputShape) };
}
