import type * as tf from '@tensorflow/tfjs-core';
import type { SampleSpec } from '../model/feature-stage';
import type { Backbone, Preprocessing } from './backbone';

/** How a base turns raw samples into features: the samples it takes, and features of one batch of them. */
export interface EmbedSource {
  spec: SampleSpec;
  extract(rows: tf.Tensor): Promise<tf.Tensor>;
}

/** What one raw sample of a base looks like: an RGB image of any size when it preprocesses pixels, else its input. */
export function rawSampleSpec(backbone: Backbone, pre: Preprocessing | undefined): SampleSpec {
  const text = backbone.kind === 'extractor' && backbone.input === 'text';
  return { preprocessing: pre, sampleShape: () => (pre ? [null, null, 3] : text ? [null] : backbone.inputShape) };
}
