import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from '../builder/augment/pipeline';

import { type Dataset, originOf } from '../data/dataset';
import type { ImageIterable } from '../data/images/image-iterable';
import type { ImageStream } from '../data/images/image-stream';
import { createRng } from '../data/rng';
import { GraftError } from '../errors/graft-error';
import type { StageInputs, StreamRequest, TrainingRequest } from '../model/feature-stage';
import { FEATURE_BATCH } from './compute-features';
import { iterableFeatures } from './iterable-features';
import { ResumablePass } from './resumable-pass';
import type { FeatureShards } from './shards/feature-shards';
import type { StemParts } from './stem-parts';
import { refuseStream, streamRefusal } from './stream-features';
import { viewFeatures, viewRows } from './view-features';

// The frozen-stem stage's training inputs and feature Datasets (frozen-stem-stage.ts), loaded with its first fit.

/** What the head (or the whole network) trains on for raw training inputs `x` (stage.training). */
export async function stemTraining(s: StemParts, x: tf.Tensor, request: TrainingRequest): Promise<StageInputs> {
  const aug = s.augmentation;
  if (s.backbone.kind === 'layers' && (!s.frozen || !request.cache)) {
    // through the whole network: the base trains, or the fit asked for no cache
    if (request.augment && aug) return perBatch(s, x, aug, request.seed);
    const input = s.runtime(x);
    return { net: s.nets.net(), x: input, owned: input !== x, featureCache: false };
  }
  const head = s.nets.head();
  // an extractor base runs outside tfjs-layers: its features are always what the head trains on
  if (!request.cache) return { net: head, x: await s.features(x, request), owned: true, featureCache: false };
  const key = s.fingerprint();
  const origin = originOf(x);
  // a split of a Dataset seen before: features of the whole source, computed once, rows gathered
  const source = origin?.source ?? x;
  const views = request.augment && aug ? 1 + aug.views : 1;
  const all = await cachedViews(s, source, key, views, request);
  const n = source.shape[0];
  if (!origin && all.shape[0] === n * views) return { net: head, x: all, owned: false, featureCache: true, views };
  const rows = origin?.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const features = tf.tidy(() => tf.gather(all, tf.tensor1d(viewRows(rows, n, views), 'int32')));
  return { net: head, x: features, owned: true, featureCache: true, views };
}

/** A base that trains sees each batch augmented afresh (raw pixels, then preprocessing), one seeded stream. */
function perBatch(s: StemParts, x: tf.Tensor, aug: Augmentation, seed: number | undefined): StageInputs {
  const rng = createRng(aug.seed ?? seed);
  const transform = (xb: tf.Tensor) => s.runtime(aug.apply(xb as tf.Tensor4D, rng));
  return { net: s.nets.net(), x, owned: false, featureCache: false, transform };
}

/**
 * Cached features of `source`: clean (any entry serves, its first rows are clean), or with the augmentation's
 * views, drawn with its seed, else the fit's.
 */
async function cachedViews(s: StemParts, source: tf.Tensor, key: string, views: number, request: TrainingRequest) {
  const aug = s.augmentation;
  if (views === 1 || !aug) {
    const any = s.cache.find(source, key);
    if (any) return any.features;
    return s.cache.get(source, key, () => s.features(source, request));
  }
  const seed = aug.seed ?? request.seed;
  const variant = { name: `${aug.views}|${seed ?? 'unseeded'}`, views };
  const report = request.featurePass?.(source.shape[0] * views, Math.ceil(source.shape[0] / FEATURE_BATCH));
  const compute = () => viewFeatures(source, (rows) => s.extract(rows), aug, seed, report);
  return s.cache.get(source, key, compute, variant);
}

/** Base features of every streamed image in one pass (resumed where an aborted one stopped); frozen bases only. */
export async function stemStream(s: StemParts, stream: ImageStream, request: StreamRequest): Promise<Dataset> {
  const refusal = streamRefusal(s.frozen, request.cache);
  if (refusal) refuseStream(refusal);
  s.pass ??= new ResumablePass();
  const pass = await s.pass.run(stream, s.fingerprint(), (rows) => s.extract(rows), request);
  return s.featureDataset(pass.values, pass.shape, stream.labels, stream.classNames);
}

/** As `stemStream`, for an iterable: its labels come with the pass (no progress events: no size up front). */
export async function stemIterable(s: StemParts, source: ImageIterable, request: StreamRequest): Promise<Dataset> {
  const refusal = streamRefusal(s.frozen, request.cache);
  if (refusal) refuseStream(refusal);
  const extract = (rows: tf.Tensor) => s.extract(rows);
  const { features, labels } = await iterableFeatures(source, extract, undefined, request.signal);
  return s.tensorDataset(features, labels, source.classNames);
}

/**
 * Feature shards as a Dataset the head trains on: refused unless the base is frozen and its content fingerprint
 * (weights and preprocessing) is the one the shards were written under.
 */
export async function stemShards(s: StemParts, shards: FeatureShards): Promise<Dataset> {
  const refusal = streamRefusal(s.frozen, true);
  if (refusal) refuseStream(refusal);
  const mine = await s.contentFingerprint();
  if (mine !== shards.base.fingerprint) {
    throw new GraftError(
      'FEATURE_SHARD_MISMATCH',
      `feature shard ${shards.files[0]} was written by base "${shards.base.name}" (fingerprint ${shards.base.fingerprint.slice(0, 12)}...), but this model's base "${s.backbone.name}" has fingerprint ${mine.slice(0, 12)}... (other weights or preprocessing)`,
      { files: [...shards.files], expected: mine, actual: shards.base.fingerprint },
    );
  }
  return s.featureDataset(shards.features(), [shards.size, ...shards.featureShape], shards.labels, shards.classNames);
}
