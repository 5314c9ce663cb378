import * as tf from '@tensorflow/tfjs-core';
import { Dataset } from '../data/dataset';
import type { ImageIterable } from '../data/images/image-iterable';
import { isImageLike } from '../data/images/image-like';
import type { ImageStream } from '../data/images/image-stream';
import { imagesToTensor } from '../data/images/images-to-tensor';
import { toImageTensor } from '../data/images/to-image-tensor';
import type { BrowserImageSource, ImageSource, PixelBuffer } from '../data/images/types';
import { type NumericInput, toTensor } from '../data/tensorize';
import { textRows } from '../data/text';
import { describe, GraftError } from '../errors/graft-error';
import { checkSample, type SampleSpec } from './feature-stage';

/** One image that is not a tensor: a path or URL, encoded bytes, decoded pixels, a browser image. */
export type ImageInput = string | Uint8Array | ArrayBuffer | PixelBuffer | BrowserImageSource;

/** What `predict` takes: one sample or a batch of them (see `Model.predict` for how they are told apart). */
export type PredictInput =
  | Dataset
  | ImageStream
  | ImageIterable
  | ImageInput
  | readonly ImageInput[]
  | NumericInput
  | tf.Tensor;

/** A batch ready for the stage, and whether the caller gave one sample (so gets one prediction back). */
export interface PredictBatch {
  batch: tf.Tensor;
  single: boolean;
}

/**
 * Turns what the user gave `predict` into a batch. One sample or a batch is told by the input alone: a Dataset
 * or an array of images is a batch; one image is one sample; a tensor or nested array is one sample when its rank
 * is the sample's (e.g. `[4]` numbers for `inputShape: [4]`), else a batch `[n, ...sample]`.
 */
export async function toPredictBatch(x: unknown, stage: SampleSpec, batch?: boolean): Promise<PredictBatch> {
  if (batch !== undefined && typeof batch !== 'boolean')
    throw new GraftError('INVALID_OPTION', `expected predict's batch option as true or false, got ${describe(batch)}`);
  if (x instanceof Dataset) {
    if (x.isDisposed) throw new GraftError('INVALID_DATA', 'predict was given a disposed Dataset');
    if (x.size === 0) throw new GraftError('EMPTY_DATA', 'expected a Dataset with at least one sample, got 0');
    checkSample(stage, x.sampleShape, 'x');
    return { batch: tf.clone(x.x), single: false };
  }
  // image models take raw pixels (0..255, any size) and preprocess them themselves: a transfer model by its
  // backbone's preprocessing, a sequential one by its first layers
  const size = stage.preprocessing?.size ?? stage.imageSize?.();
  if (size) {
    if (Array.isArray(x) && x.length > 0 && isImageLike(x[0])) {
      return { batch: await imagesToTensor(x as ImageSource[], { size }), single: false };
    }
    if (isImageLike(x)) {
      const img = await toImageTensor(x as ImageSource, { size });
      const b = tf.expandDims(img, 0);
      img.dispose();
      return { batch: b, single: true };
    }
  }
  // the expected shape first: it can build the network, which can throw, and must not strand the input tensor
  const sampleShape = stage.sampleShape();
  // a string is an image path to an image model (above) and a text to any other
  if (typeof x === 'string') return checked({ batch: textRows([x], 'x'), single: true }, stage, batch, sampleShape);
  const t = toTensor(x as NumericInput, 'x');
  const single = t.rank === sampleShape.length;
  const out = single ? tf.expandDims(t, 0) : t;
  if (single) t.dispose();
  return checked({ batch: out, single }, stage, batch, sampleShape, t.shape);
}

/** The batch, once its samples fit the stage (freed if they do not). */
function checked(
  b: PredictBatch,
  stage: SampleSpec,
  batch: boolean | undefined,
  sampleShape: (number | null)[],
  given = b.batch.shape,
): PredictBatch {
  const { batch: out, single } = b;
  try {
    if (batch !== undefined && batch === single) throw batchMismatch(batch, given, sampleShape);
    checkSample(stage, out.shape.slice(1), 'x');
  } catch (e) {
    out.dispose();
    throw e;
  }
  return { batch: out, single };
}

function batchMismatch(batch: boolean, shape: number[], sample: (number | null)[]): GraftError {
  const want = batch
    ? `a batch [n, ${sample.map((d) => d ?? 'any').join(', ')}]`
    : `one sample [${sample.map((d) => d ?? 'any').join(', ')}]`;
  return new GraftError(
    'SHAPE_MISMATCH',
    `predict(x, { batch: ${batch} }) expects ${want}, got an input of shape [${shape.join(', ')}]`,
  );
}
