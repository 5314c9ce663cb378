import * as tf from '@tensorflow/tfjs-core';
import type { PixelSource } from './pixel-source';
import { pixelsToTensor } from './pixels-to-tensor';
import { resizeOwned } from './resize';
import type { DecodedImage, ImageSize } from './types';

/** One decoded batch of a stream: float32 [count, height, width, 3] pixels 0..255, rows `start..start+count`. */
export interface ImageBatch {
  x: tf.Tensor4D;
  start: number;
  count: number;
  labels: number[];
}

/**
 * The float32 batch of decoded 8-bit images, each resized on the calling thread's backend exactly as
 * `imagesToTensor` does (one image at a time, copied into one buffer), so every source gives the same tensor.
 */
export async function buildBatch(images: DecodedImage[], size: ImageSize): Promise<tf.Tensor4D> {
  const per = size[0] * size[1] * 3;
  const buffer = new Float32Array(images.length * per);
  for (let i = 0; i < images.length; i++) {
    const img = resizeOwned(pixelsToTensor(images[i]), size);
    try {
      buffer.set(await img.data<'float32'>(), i * per);
    } finally {
      img.dispose();
    }
  }
  return tf.tensor4d(buffer, [images.length, size[0], size[1], 3], 'float32');
}

/**
 * Batches of `files` from `source`, from row `from` on, with the next batch's decoding started before the
 * current one is handed out (prefetch: a worker pool decodes it while the caller runs the base). The source is
 * closed when the batches end, fail or the caller stops early.
 */
export async function* sourceBatches(
  source: PixelSource,
  files: readonly string[],
  labels: readonly number[],
  size: ImageSize,
  batchSize: number,
  from = 0,
): AsyncGenerator<ImageBatch> {
  const decodeAt = (start: number) => {
    const p = source.decode(files.slice(start, start + batchSize));
    p.catch(() => {}); // awaited below; a prefetch the caller never reaches must not surface as unhandled
    return p;
  };
  try {
    let next = from < files.length ? decodeAt(from) : undefined;
    for (let start = from; next; start += batchSize) {
      const images = await next;
      next = start + batchSize < files.length ? decodeAt(start + batchSize) : undefined;
      const x = await buildBatch(images, size);
      yield { x, start, count: images.length, labels: labels.slice(start, start + images.length) };
    }
  } finally {
    await source.close();
  }
}
