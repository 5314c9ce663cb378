import type * as tf from '@tensorflow/tfjs-core';
import { toPredictBatch } from '../model/predict-input';
import { computeFeatures } from './compute-features';
import type { EmbedSource } from './embed-source';

export type { EmbedSource } from './embed-source';

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
