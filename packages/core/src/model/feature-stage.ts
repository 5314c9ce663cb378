import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset';
import type { ImageIterable } from '../data/images/image-iterable';
import type { ImageStream } from '../data/images/image-stream';
import { GraftError } from '../errors/graft-error';
import type { ExportSource } from '../io/exporters';
import type { Preprocessing } from '../transfer/backbone';
import type { FeatureShards } from '../transfer/shards/feature-shards';
import type { FeaturePassReport } from '../transfer/stream-features';

/** What a fit trains: the network whose weights change and the tensors it sees. */
export interface StageInputs {
  net: LayersModel;
  x: tf.Tensor;
  /** Whether `x` was made for this fit and must be disposed after it. */
  owned: boolean;
  /** Whether `x` holds cached features of a frozen base (so `net` is the head alone). */
  featureCache: boolean;
  /** Rows of `x` per sample (1 + K with K augmented views, view-major): the labels repeat as many times. */
  views?: number;
  /** Applied to each training batch of `x` before the network (per-batch augmentation; inside the batch's tidy). */
  transform?: (xb: tf.Tensor) => tf.Tensor;
}

export interface TrainingRequest {
  /** The fit allows cached features (`featureCache` option; validation follows what training got). */
  cache: boolean;
  /** Reports a feature pass over `total` samples in `batches` batches; returns a per-batch reporter. */
  featurePass?: (total: number, batches: number) => FeaturePassReport;
  /** These are training inputs: a stage with augmentation augments them (validation inputs never are). */
  augment?: boolean;
  /** The fit's seed, for augmentation draws that have none of their own. */
  seed?: number;
}

/** A feature pass over a streamed image source: a training request that can be aborted between batches. */
export interface StreamRequest extends TrainingRequest {
  signal?: AbortSignal;
}

/**
 * The step between data and the network, held by the model: identity, preprocessing of raw pixels, or a frozen
 * base whose features are cached. It owns whatever it caches and decides itself when that is stale.
 */
export interface FeatureStage {
  /** How raw pixels (0..255, NHWC) become the network's input, when the model takes images. */
  readonly preprocessing?: Preprocessing;
  /**
   * The size a network that preprocesses images itself (its first layers do) takes them at: image inputs to
   * `predict` are decoded and resized to it. Stages with `preprocessing` resize to that instead.
   */
  imageSize?(): [number, number] | undefined;
  /** Shape of one raw sample, without the batch dimension; `null`: any size (images are resized). */
  sampleShape(): (number | null)[];
  /** The network and tensors a fit trains on. */
  training(x: tf.Tensor, request: TrainingRequest): Promise<StageInputs>;
  /** Inputs for the model's own network at inference (`x` itself or a new tensor). */
  inference(x: tf.Tensor): Promise<tf.Tensor>;
  /** Inputs for an outside runtime that runs the exported graph, which starts after preprocessing. */
  runtime(x: tf.Tensor): tf.Tensor;
  /** What an exporter or outside runtime needs besides the class names. */
  exportSource(): Omit<ExportSource, 'classNames'>;
  /**
   * Base features of a streamed image source as a Dataset the head trains on, computed in one pass (stages that
   * cache features only; without this method a stream is refused).
   */
  streamDataset?(stream: ImageStream, request: StreamRequest): Promise<Dataset>;
  /** Base features read from shard files as a Dataset the head trains on (stages with a frozen base only). */
  shardDataset?(shards: FeatureShards): Promise<Dataset>;
  /** As `streamDataset`, for an iterable of `{ image, label }`: features and labels in one pass. */
  iterableDataset?(source: ImageIterable, request: StreamRequest): Promise<Dataset>;
  /** True for inputs that are already what `training` returns (features made by `streamDataset`). */
  isFeatures?(x: tf.Tensor): boolean;
  /** Called after every fit, whether it succeeded or not. */
  afterFit(): void;
  dispose(): void;
}

/** What input checks need of a stage: the sample shape it takes and its pixel preprocessing. */
export type SampleSpec = Pick<FeatureStage, 'preprocessing' | 'sampleShape' | 'imageSize'>;

/** Refuses a sample whose shape the stage does not take; images get their own wording and code. */
export function checkSample(stage: SampleSpec, sample: number[], what: string): void {
  const expected = stage.sampleShape();
  if (stage.preprocessing) {
    if (sample.length !== 3 || sample[2] !== 3) {
      throw new GraftError(
        sample.length === 3 ? 'CHANNEL_MISMATCH' : 'SHAPE_MISMATCH',
        `expected each ${what} sample as an RGB image [height, width, 3] of 0..255 pixels, got [${sample.join(', ')}]`,
      );
    }
    return;
  }
  const ok = expected.length === sample.length && expected.every((d, i) => d === null || d === sample[i]);
  if (!ok) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `expected each ${what} sample of shape [${expected.map((d) => d ?? 'any').join(', ')}], got [${sample.join(', ')}]`,
    );
  }
}
