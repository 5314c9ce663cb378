import type * as tf from '@tensorflow/tfjs-core';
import type { ImageStream } from '../data/images/image-stream';
import { GraftError } from '../errors/graft-error';
import { FEATURE_BATCH } from './compute-features';
import type { FeatureStore, FeatureStoreStats } from './store/feature-store';

/** What a feature pass reports with each batch besides its count. */
export interface FeaturePassExtra {
  /** Images whose features came from an aborted earlier pass (0 for a fresh pass). */
  resumedFrom: number;
  featureStore: FeatureStoreStats;
}

export type FeaturePassReport = (batch: number, done: number, extra?: FeaturePassExtra) => void;

/**
 * Fills `store` with the base features of the stream's images from row `store.rows` on: each batch is decoded,
 * run through `extract`, copied into the store (memory, or the spill past its bound) and freed, so memory holds one
 * batch of pixels plus the store's bound. `signal` is checked between batches: an abort throws ABORTED with the
 * rows done kept in the store, so a later pass resumes there. Any other error leaves the store as far as it got;
 * the caller drops it.
 */
export async function fillStore(
  stream: ImageStream,
  store: FeatureStore,
  extract: (rows: tf.Tensor) => Promise<tf.Tensor>,
  report?: FeaturePassReport,
  signal?: AbortSignal,
): Promise<void> {
  const resumedFrom = store.rows;
  for await (const batch of stream.batches(FEATURE_BATCH, store.rows)) {
    let features: tf.Tensor;
    try {
      features = await extract(batch.x);
    } finally {
      batch.x.dispose();
    }
    try {
      const values = ((await features.data()) as Float32Array).slice();
      await store.append(values, batch.count, features.shape.slice(1));
    } finally {
      features.dispose();
    }
    const done = batch.start + batch.count;
    report?.(batch.start / FEATURE_BATCH, done, { resumedFrom, featureStore: store.stats() });
    await new Promise((r) => setTimeout(r, 0));
    if (signal?.aborted && done < stream.size) {
      throw new GraftError(
        'ABORTED',
        `the feature pass was aborted after ${done} of ${stream.size} images; their features are kept, so the next fit of this stream on this model resumes from image ${done}`,
        { done, total: stream.size },
      );
    }
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
