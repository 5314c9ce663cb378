import type * as tf from '@tensorflow/tfjs-core';
import { ImageIterable } from '../data/images/image-iterable';
import { ImageStream } from '../data/images/image-stream';
import { outputActivation, outputUnits } from './compile';
import { outputIsLogits, squash } from './logits';
import type { ModelHost } from './model-host';
import type { PredictOptions } from './model-types';
import { type PredictInput, toPredictBatch } from './predict-input';
import { formatPredictions, type Prediction, taskFor } from './predictions';
import { streamOutputs } from './stream-predict';

/**
 * Model.predict's body, loaded with the first predict: the input made a batch (or streamed), run through
 * `predictTensor`, and each row formatted for the task; one sample in, one prediction out.
 */
export async function predictModel<P extends Prediction>(
  host: ModelHost,
  x: PredictInput,
  options: PredictOptions,
  predictTensor: (batch: tf.Tensor, options: PredictOptions) => Promise<tf.Tensor>,
): Promise<P | P[]> {
  // a stream is decoded and predicted batch by batch (model/stream-predict.ts)
  const stream = x instanceof ImageStream || x instanceof ImageIterable ? x : null;
  const { batch, single } = stream
    ? { batch: null, single: false }
    : await toPredictBatch(x, host.stage, options.batch);
  let out: tf.Tensor | null = null;
  try {
    const run = (b: tf.Tensor) => predictTensor(b, options);
    out = stream ? await streamOutputs(stream, run) : await run(batch as tf.Tensor);
    let rows = (await out.data()) as Float32Array;
    const width = out.shape.slice(1).reduce((a, b) => a * b, 1);
    const net = host.net;
    const task = host.objective.task ?? taskFor(outputActivation(net), outputUnits(net), host.objective.loss);
    if (outputIsLogits(host.objective, outputActivation(net))) rows = squash(rows, width, task !== 'classification');
    // the task decides the shape, as P (from the head's task, when typed) says
    const preds = formatPredictions(task, rows, width, host.classNames) as P[];
    return single ? preds[0] : preds;
  } finally {
    batch?.dispose();
    out?.dispose();
  }
}
