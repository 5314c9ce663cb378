import * as tf from '@tensorflow/tfjs-core';
import { Dataset } from '../data/dataset';
import type { ImageStream } from '../data/images/image-stream';
import { Accumulator } from '../training/accumulator';
import { addEvaluation, type EvaluationSpec, metricValues } from '../training/evaluate';
import { STREAM_PREDICT_BATCH } from './stream-predict';

/** Why evaluate (and confusionMatrix) refuse an iterable of `{ image, label }`. */
export const ITERABLE_LABELS =
  "the labels are needed before the pass (class mapping, the loss), and an iterable brings them only as it is read; list the images (fromImages(images, labels, { stream: true })) or hold out with fit's validationSplit";

/** The stream's labels as a Dataset without pixels (one zero per image), so class mapping works as for any data. */
export function streamLabelSet(stream: ImageStream): Dataset {
  const n = stream.size;
  return Dataset.from({ data: new Float32Array(n), shape: [n, 1] }, [...stream.labels], {
    classNames: [...stream.classNames],
  });
}

/**
 * Loss and metrics over a stream, batch by batch: each decoded batch goes through `inference` and the network,
 * its values join one accumulator (stateful metrics sum their counts, as in-memory), and its pixels are freed.
 */
export async function evaluateStream(
  stream: ImageStream,
  y: tf.Tensor,
  inference: (x: tf.Tensor) => Promise<tf.Tensor>,
  spec: EvaluationSpec,
): Promise<number[]> {
  const acc = new Accumulator();
  try {
    for await (const batch of stream.batches(STREAM_PREDICT_BATCH)) {
      let inputs: tf.Tensor | undefined;
      const yb = tf.slice(y, batch.start, batch.count);
      try {
        inputs = await inference(batch.x);
        addEvaluation(acc, spec, inputs, yb);
      } finally {
        if (inputs !== batch.x) inputs?.dispose();
        batch.x.dispose();
        yb.dispose();
      }
    }
    return metricValues(spec.metrics, await acc.read());
  } finally {
    acc.clear();
  }
}
