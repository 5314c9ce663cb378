import type * as tf from '@tensorflow/tfjs-core';
import type { ImageStream } from '../data/images/image-stream';
import { log } from '../env/log';
import { isGraftError } from '../errors/graft-error';
import type { StreamRequest } from '../model/feature-stage';
import { FEATURE_BATCH } from './compute-features';
import { FeatureStore } from './store/feature-store';
import { fillStore } from './stream-features';

/** Features of a whole stream: `values` row-major, `shape` [n, ...featureShape]. */
export interface PassFeatures {
  values: Float32Array;
  shape: number[];
}

/**
 * The feature pass of a stage's streamed fits, resumable: an aborted pass keeps its store (the rows done, in memory
 * up to the bound and spilled past it), and the next pass over a stream of the same identity under the same base
 * fingerprint continues after them. A pass under another base or listing drops it and starts over (logged at
 * 'info'); a pass that fails any other way drops its store, so nothing half-made is kept.
 */
export class ResumablePass {
  private pending: FeatureStore | null = null;

  /** Rows an aborted pass kept for resuming (0: none). */
  get pendingRows(): number {
    return this.pending?.rows ?? 0;
  }

  async run(
    stream: ImageStream,
    base: string,
    extract: (rows: tf.Tensor) => Promise<tf.Tensor>,
    request: StreamRequest,
  ): Promise<PassFeatures> {
    const key = { base, listing: await stream.identity() };
    const store = (await this.resumable(key)) ?? new FeatureStore(key);
    const report = request.featurePass?.(stream.size, Math.ceil(stream.size / FEATURE_BATCH));
    try {
      await fillStore(stream, store, extract, report, request.signal);
    } catch (e) {
      if (isGraftError(e, 'ABORTED')) this.pending = store;
      else await store.dispose();
      throw e;
    }
    try {
      return { values: await store.readAll(), shape: [store.rows, ...(store.featureShape ?? [])] };
    } finally {
      await store.dispose();
    }
  }

  /** Removes what an aborted pass kept. */
  async dispose(): Promise<void> {
    const store = this.pending;
    this.pending = null;
    await store?.dispose();
  }

  /** The kept store when it was made under `key`; otherwise it goes (saying why) and the pass starts over. */
  private async resumable(key: FeatureStore['key']): Promise<FeatureStore | null> {
    const store = this.pending;
    this.pending = null;
    if (!store) return null;
    if (store.key.base === key.base && store.key.listing === key.listing) return store;
    const why =
      store.key.base !== key.base
        ? 'the base, its weights or its preprocessing changed'
        : 'the stream lists other files, labels, classes or image size';
    log.info(`the ${store.rows} images of an aborted feature pass are not reused (${why}): the pass starts over`);
    await store.dispose();
    return null;
  }
}
