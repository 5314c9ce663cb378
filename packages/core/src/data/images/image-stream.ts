import { describe, GraftError } from '../../errors/graft-error';
import { sha256 } from '../../io/checksum';
import { checkIndices, type SplitOptions } from '../dataset';
import { createRng, permutation } from '../rng';
import { imageStreams } from '../source-brands';
import { splitRows } from '../split-rows';
import { fileSource, type PixelSourceFactory } from './pixel-source';
import type { ImageBatch } from './stream-batches';
import type { ImageSize } from './types';

export type { ImageBatch } from './stream-batches';

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
    private readonly source: PixelSourceFactory,
  ) {
    imageStreams.mark(this);
  }

  /**
   * A stream of `files` with their class indices into `classNames` (checked by the caller). `source` decodes
   * them (default: image files in Node worker threads, `workers` of them; see `fileSource`).
   */
  static of(
    files: string[],
    labels: number[],
    classNames: string[],
    imageSize: ImageSize,
    maxPixels: number,
    source: PixelSourceFactory = fileSource(maxPixels, undefined),
  ) {
    if (files.length === 0) throw new GraftError('EMPTY_DATA', 'expected at least one image file, got none');
    return new ImageStream([...files], [...labels], [...classNames], imageSize, maxPixels, source);
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
    return new ImageStream(files, labels, [...this.classNames], this.imageSize, this.maxPixels, this.source);
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
   * What the stream's features depend on besides the base: its files, labels, classes and size, as a SHA-256
   * hex digest. A feature pass kept after an abort resumes only for a stream of the same identity.
   */
  async identity(): Promise<string> {
    const listing = JSON.stringify([this.files, this.labels, this.classNames, this.imageSize]);
    const digest = await sha256(new TextEncoder().encode(listing));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * Decodes the images batch by batch, in order, from row `from` (default 0), the next batch decoding while the
   * caller works on the current one. Each batch is a new tensor the caller disposes; an unreadable or undecodable
   * file throws its coded error naming the file, once the batches before it were yielded. Workers the source
   * started end when the batches end, fail or the caller stops reading.
   */
  async *batches(batchSize: number, from = 0): AsyncGenerator<ImageBatch> {
    const source = await this.source();
    // the decoding and resizing code loads with the first batch
    const { sourceBatches } = await import('./stream-batches');
    yield* sourceBatches(source, this.files, this.labels, this.imageSize, batchSize, from);
  }
}
