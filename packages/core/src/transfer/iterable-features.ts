import type * as tf from '@tensorflow/tfjs-core';
import type { ImageIterable } from '../data/images/image-iterable';
import { joinRows } from '../data/join-rows';
import { GraftError } from '../errors/graft-error';
import { FEATURE_BATCH } from './compute-features';

/**
 * Base features and labels of every item of an iterable in one pass (its size is known only at the end): each
 * batch is decoded, run through `extract` and freed. Transactional as `streamFeatures`: on a bad item, a throwing
 * reporter or an abort (`signal`, checked between batches: ABORTED) every feature so far is freed and the error
 * thrown. `report(batch, done)` follows each batch.
 */
export async function iterableFeatures(
  source: ImageIterable,
  extract: (rows: tf.Tensor) => Promise<tf.Tensor>,
  report?: (batch: number, done: number) => void,
  signal?: AbortSignal,
): Promise<{ features: tf.Tensor; labels: number[] }> {
  const parts: tf.Tensor[] = [];
  const labels: number[] = [];
  try {
    for await (const batch of source.batches(FEATURE_BATCH)) {
      try {
        parts.push(await extract(batch.x));
      } finally {
        batch.x.dispose();
      }
      labels.push(...batch.labels);
      report?.(batch.start / FEATURE_BATCH, labels.length);
      await new Promise((r) => setTimeout(r, 0));
      if (signal?.aborted) {
        throw new GraftError(
          'ABORTED',
          `the feature pass was aborted after ${labels.length} items of an iterable; nothing was cached`,
          { done: labels.length },
        );
      }
    }
    if (parts.length === 0) throw new GraftError('EMPTY_DATA', 'expected at least one { image, label } item, got none');
    return { features: joinRows(parts), labels };
  } finally {
    for (const p of parts) p.dispose();
  }
}
