import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { preprocess } from '../data/images/preprocess';
import type { ExportSource } from '../io/exporters';
import type { Preprocessing } from '../transfer/backbone';
import type { FeatureStage, StageInputs } from './feature-stage';
import { imageInputSize } from './image-layers';

/**
 * The stage of a plain model: the network sees the data as given (identity), or, for a model that takes images,
 * raw pixels after its preprocessing. Nothing is cached, so nothing goes stale.
 */
export class InputStage implements FeatureStage {
  constructor(
    private readonly net: () => LayersModel,
    readonly preprocessing?: Preprocessing,
  ) {}

  sampleShape(): (number | null)[] {
    const shape = this.net().inputs[0].shape.slice(1);
    return this.preprocessing ? [null, null, 3] : shape;
  }

  imageSize(): [number, number] | undefined {
    return this.preprocessing ? undefined : imageInputSize(this.net());
  }

  async training(x: tf.Tensor): Promise<StageInputs> {
    const input = this.runtime(x);
    return { net: this.net(), x: input, owned: input !== x, featureCache: false };
  }

  async inference(x: tf.Tensor): Promise<tf.Tensor> {
    return this.runtime(x);
  }

  runtime(x: tf.Tensor): tf.Tensor {
    return this.preprocessing ? preprocess(x as tf.Tensor4D, this.preprocessing) : x;
  }

  exportSource(): Omit<ExportSource, 'classNames'> {
    return { net: this.net(), preprocessing: this.preprocessing };
  }

  afterFit(): void {}

  dispose(): void {}
}
