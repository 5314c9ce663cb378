import type * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../../errors/graft-error';
import { checkIndices, type SplitOptions } from '../dataset';
import { createRng, permutation } from '../rng';
import { splitRows } from '../split-rows';
import { imagesToTensor } from './images-to-tensor';
import type { ImageSize } from './types';

/** One decoded batch of a stream: float32 [count, height, width, 3] pixels 0..255, rows `start..start+count`. */
export interface ImageBatch {
  x: tf.Tensor4D;
  start: number;
  count: number;
  labels: number[];
}

/**
 * Image files and their labels, read lazily: the listing (files, labels, class names) is known up front, pixels
 * are decoded and resized only batch by batch, so memory holds one batch of pixels however many files there are.
 * `take`, `shuffle` and `split` pick rows of the listing without decoding; `split` picks the same rows as
 * `Dataset.split` of the same labels and seed. Holds no tensors: nothing to dispose.
 */
export class ImageStream {
  private constructor(
    readonly files: readonly string[],
    readonly labels: readonly number[],
    readonly classNames: readonly string[],
    readonly imageSize: ImageSize,
    readonly maxPixels: number,
  ) {}

  /** A stream of `files` with their class indices into `classNames` (checked by the caller). */
  static of(files: string[], labels: number[], classNames: string[], imageSize: ImageSize, maxPixels: number) {
    if (files.length === 0) throw new GraftError('EMPTY_DATA', 'expected at least one image file, got none');
    return new ImageStream([...files], [...labels], [...classNames], imageSize, maxPixels);
  }

  /** Number of images. */
  get size(): number {
    return this.files.length;
  }

  /** Shape of one sample as the batches hold it: [height, width, 3]. */
  get sampleShape(): number[] {
    return [...this.imageSize, 3];
  }

  /** The images at `indices` (integers in [0, size)), in that order. */
  take(indices: ArrayLike<number>): ImageStream {
    const rows = checkIndices(indices, this.size);
    const files = Array.from(rows, (r) => this.files[r]);
    const labels = Array.from(rows, (r) => this.labels[r]);
    return new ImageStream(files, labels, [...this.classNames], this.imageSize, this.maxPixels);
  }

  /** A shuffled order (seeded), as `Dataset.shuffle`. */
  shuffle(seed?: number): ImageStream {
    return this.take(permutation(this.size, createRng(seed)));
  }

  /** [first, second] with `fraction` in the second; seeded, stratified by class unless `stratify: false`. */
  async split(fraction: number, options: SplitOptions = {}): Promise<[ImageStream, ImageStream]> {
    if (!(fraction > 0 && fraction < 1)) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected a split fraction strictly between 0 and 1, got ${describe(fraction)}`,
      );
    }
    const classes = options.stratify === false ? null : this.labels;
    const [a, b] = splitRows(this.size, fraction, options.seed, classes);
    if (a.length === 0 || b.length === 0) {
      throw new GraftError('INVALID_OPTION', `split ${fraction} of ${this.size} images leaves an empty part`);
    }
    return [this.take(a), this.take(b)];
  }

  /**
   * Decodes the images batch by batch, in order. Each batch is a new tensor the caller disposes; an unreadable or
   * undecodable file throws its coded error naming the file, once the batches before it were yielded.
   */
  async *batches(batchSize: number): AsyncGenerator<ImageBatch> {
    for (let start = 0; start < this.size; start += batchSize) {
      const count = Math.min(batchSize, this.size - start);
      const files = this.files.slice(start, start + count);
      const x = await imagesToTensor(files, { size: this.imageSize, maxPixels: this.maxPixels });
      yield { x, start, count, labels: this.labels.slice(start, start + count) };
    }
  }
}
