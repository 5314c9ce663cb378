import type * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch } from '../data/images/image-stream';
import { joinRows } from '../data/join-rows';

/** Images decoded per prediction batch of a stream. */
export const STREAM_PREDICT_BATCH = 64;

/**
 * The network's outputs for every image of a stream (listed or iterable), batch by batch: each batch's pixels are freed before the
 * next is decoded, so memory holds one batch of pixels plus the outputs. On an error every output so far is freed.
 */
export async function streamOutputs(
  stream: { batches(batchSize: number): AsyncIterable<ImageBatch> },
  run: (batch: tf.Tensor) => Promise<tf.Tensor>,
): Promise<tf.Tensor> {
  const parts: tf.Tensor[] = [];
  try {
    for await (const batch of stream.batches(STREAM_PREDICT_BATCH)) {
      try {
        parts.push(await run(batch.x));
      } finally {
        batch.x.dispose();
      }
    }
    return joinRows(parts);
  } finally {
    for (const p of parts) p.dispose();
  }
}
