import type * as tf from '@tensorflow/tfjs-core';
import type { ImageStream } from '../data/images/image-stream';
import { joinRows } from '../data/join-rows';
import { GraftError } from '../errors/graft-error';
import { FEATURE_BATCH } from './compute-features';

/**
 * Base features of every image of a stream in one pass: each batch is decoded, run through `extract` and freed,
 * so memory holds one batch of pixels plus the features so far. Transactional: on a bad file, a throwing reporter
 * or an abort (`signal`, checked between batches: ABORTED) every feature computed so far is freed and the error
 * thrown, so nothing half-made is left to cache.
 */
export async function streamFeatures(
  stream: ImageStream,
  extract: (rows: tf.Tensor) => Promise<tf.Tensor>,
  report?: (batch: number, done: number) => void,
  signal?: AbortSignal,
): Promise<tf.Tensor> {
  const parts: tf.Tensor[] = [];
  try {
    for await (const batch of stream.batches(FEATURE_BATCH)) {
      try {
        parts.push(await extract(batch.x));
      } finally {
        batch.x.dispose();
      }
      report?.(batch.start / FEATURE_BATCH, batch.start + batch.count);
      await new Promise((r) => setTimeout(r, 0));
      if (signal?.aborted && batch.start + batch.count < stream.size) {
        throw new GraftError(
          'ABORTED',
          `the feature pass was aborted after ${batch.start + batch.count} of ${stream.size} images; nothing was cached`,
          { done: batch.start + batch.count, total: stream.size },
        );
      }
    }
    return joinRows(parts);
  } finally {
    for (const p of parts) p.dispose();
  }
}

/** Why a stage cannot fit on a stream, or null when it can (a frozen base whose features are cached). */
export function streamRefusal(frozen: boolean, cache: boolean): string | null {
  if (!cache) return 'featureCache: false asks for no cached features';
  if (!frozen) return 'the base has trainable (or dropout) layers, so the whole network would train on pixels';
  return null;
}

export function refuseStream(reason: string): never {
  throw new GraftError(
    'STREAM_UNSUPPORTED',
    `expected a model with a frozen base to fit on a streamed image source (its features are cached in one pass), but ${reason}; freeze the base, or read the images into memory (fromDirectory without stream: true)`,
    { reason },
  );
}
