import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Augmentation } from '../builder/augment/pipeline';
import type { Dataset } from '../data/dataset';
import type { TrainingRequest } from '../model/feature-stage';
import type { Backbone, Preprocessing } from './backbone';
import type { FeatureCache } from './feature-cache';
import type { ResumablePass } from './resumable-pass';

/** The networks a transfer model is made of, built lazily by its graph surgery. */
export interface TransferNetworks {
  /** The base up to its feature layer plus pooling (layers bases only). */
  stem(): tfl.LayersModel;
  /** The new head, on features. */
  head(): tfl.LayersModel;
  /** Stem and head joined (the head alone on an extractor base). */
  net(): tfl.LayersModel;
}

/** What the frozen-stem stage's computations (stem-stage-work.ts, loaded with the first) read and keep. */
export interface StemParts {
  readonly backbone: Backbone;
  readonly nets: TransferNetworks;
  readonly preprocessing: Preprocessing | undefined;
  readonly augmentation: Augmentation | null;
  readonly cache: FeatureCache;
  readonly frozen: boolean;
  /** The streamed feature pass (made with the first), kept across an abort so the next fit resumes it. */
  pass: ResumablePass | null;
  fingerprint(): string;
  runtime(x: tf.Tensor): tf.Tensor;
  extract(rows: tf.Tensor): Promise<tf.Tensor>;
  features(x: tf.Tensor, request: Pick<TrainingRequest, 'featurePass'>): Promise<tf.Tensor>;
  contentFingerprint(): Promise<string>;
  featureDataset(
    values: Float32Array,
    shape: number[],
    labels: readonly number[],
    classNames: readonly string[],
  ): Dataset;
  tensorDataset(features: tf.Tensor, labels: number[], classNames: readonly string[]): Dataset;
}
