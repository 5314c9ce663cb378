import * as tf from '@tensorflow/tfjs-core';
import { isImageLike } from '../data/images/image-like';
import { resizeOwned } from '../data/images/resize';
import { toImageTensor } from '../data/images/to-image-tensor';
import type { ImageSource } from '../data/images/types';
import { GraftError } from '../errors/graft-error';
import { checkSample, type FeatureStage } from '../model/feature-stage';
import { toPredictBatch } from '../model/predict-input';

/** One sample as the network's input [1, ...] (a new tensor), and the size of the image the heatmap covers (0: none). */
export interface ExplainInput {
  input: tf.Tensor;
  height: number;
  width: number;
}

/**
 * What `predict` takes for one sample, through the model's own input stage (decoding, resizing, preprocessing). The
 * heatmap's size is the image's as given: a photo's own size (resized for the network, as predict does, and the
 * heatmap back), a pixel tensor's, else the network input's height and width.
 */
export async function explainInput(x: unknown, stage: FeatureStage): Promise<ExplainInput> {
  const { batch, height, width } = await oneSample(x, stage);
  let input: tf.Tensor | null = null;
  try {
    input = await stage.inference(batch);
    // an image decoded here keeps its own size; a tensor gives its [height, width], else the network input does
    const from = batch.rank === 4 ? batch : input;
    const [h, w] = height ? [height, width] : from.rank === 4 ? from.shape.slice(1, 3) : [0, 0];
    return { input, height: h as number, width: w as number };
  } finally {
    if (input !== batch) batch.dispose();
  }
}

/** One raw sample as a batch [1, ...], with the image's own size when it was decoded here (else 0 x 0). */
async function oneSample(
  x: unknown,
  stage: FeatureStage,
): Promise<{ batch: tf.Tensor; height: number; width: number }> {
  const size = stage.preprocessing?.size ?? stage.imageSize?.();
  if (size && isImageLike(x)) {
    // decoded at its own size first: the heatmap is drawn over the image as it was given
    const image = await toImageTensor(x as ImageSource);
    const [height, width] = image.shape;
    const resized = resizeOwned(image, size);
    const batch = tf.expandDims(resized, 0);
    resized.dispose();
    try {
      checkSample(stage, batch.shape.slice(1), 'x');
    } catch (e) {
      batch.dispose();
      throw e;
    }
    return { batch, height, width };
  }
  const { batch } = await toPredictBatch(x, stage);
  if (batch.shape[0] !== 1) {
    const n = batch.shape[0];
    batch.dispose();
    throw new GraftError('SHAPE_MISMATCH', `expected one sample to explain, got a batch of ${n}`);
  }
  return { batch, height: 0, width: 0 };
}
