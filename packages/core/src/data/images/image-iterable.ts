import { describe, GraftError } from '../../errors/graft-error';
import { imageIterables } from '../source-brands';
import { type BytesSourceBounds, openDecoder } from './bytes-source';
import { decodeItems, type ImageItem, type Numbered } from './iterable-items';
import { checkBuffer, shuffleBuffer } from './shuffle-buffer';
import { buildBatch, type ImageBatch } from './stream-batches';
import type { ImageSize } from './types';

export type { ImageItem } from './iterable-items';

type Items = AsyncIterable<unknown> | Iterable<unknown>;

/** An iterable of `{ image, label }`, or a function that returns a new one for each pass. */
export type ImageItems =
  | AsyncIterable<ImageItem>
  | Iterable<ImageItem>
  | (() => AsyncIterable<ImageItem> | Iterable<ImageItem>);

/** The user's items and whether a one-shot source (a generator object) was read already. */
class Reader {
  private used = false;

  constructor(private readonly items: ImageItems) {}

  /** A new pass over the items, numbered in source order. */
  async *open(): AsyncGenerator<Numbered> {
    const src = (typeof this.items === 'function' ? this.items() : this.items) as Items;
    const it = iteratorOf(src);
    if (typeof this.items !== 'function' && (it as unknown) === src) {
      // a generator object (its own iterator) can be read once: a second pass would silently see nothing
      if (this.used) {
        throw new GraftError(
          'STREAM_UNSUPPORTED',
          'expected a source that can be read again, but this generator was read by an earlier pass; pass a function that returns a new generator (() => gen()) to fit, predict or read a stream more than once',
          { reason: 'consumed' },
        );
      }
      this.used = true;
    }
    let finished = false;
    try {
      for (let index = 0; ; index++) {
        const r = await nextItem(it, index);
        if (r.done) {
          finished = true;
          return;
        }
        yield { item: r.value, index };
      }
    } finally {
      // a pass stopped early (an error, an abort) closes the user's generator, running its finally blocks
      if (!finished) await it.return?.();
    }
  }
}

/** The next item; an error the source itself throws becomes LOAD_FAILED naming the item it was producing. */
async function nextItem(
  it: AsyncIterator<unknown> | Iterator<unknown>,
  index: number,
): Promise<IteratorResult<unknown>> {
  try {
    return await it.next();
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'LOAD_FAILED',
      `the iterable threw while producing item ${index}: ${(e as Error)?.message ?? String(e)}`,
      {
        index,
      },
    );
  }
}

function iteratorOf(src: Items): AsyncIterator<unknown> | Iterator<unknown> {
  const s = src as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null;
  const asyncIt = s?.[Symbol.asyncIterator];
  if (typeof asyncIt === 'function') return asyncIt.call(s);
  const syncIt = typeof s === 'string' ? undefined : s?.[Symbol.iterator];
  if (typeof syncIt === 'function') return syncIt.call(s);
  throw new GraftError(
    'INVALID_DATA',
    `expected an iterable or async iterable of { image, label } (or a function returning one), got ${describe(src)}`,
  );
}

/**
 * Images from an iterable or async iterable (a generator) of `{ image, label }`, read once per pass and decoded
 * batch by batch, as tf.data's `from_generator`: nothing is listed up front, so `classNames` are given, the size is
 * known only once read, and there is no `take` or `split` by index (hold out with `fit`'s `validationSplit`, or a
 * second source). `shuffle(seed, { buffer })` draws from a buffer as tf.data's `shuffle`. A bad item (not
 * `{ image, label }`, a label outside the classes, bytes that do not read or decode) is a coded error naming it.
 */
export class ImageIterable {
  private constructor(
    private readonly reader: Reader,
    readonly classNames: readonly string[],
    readonly imageSize: ImageSize,
    private readonly bounds: BytesSourceBounds,
    private readonly shuffles: readonly { buffer: number; seed?: number }[],
  ) {
    imageIterables.mark(this);
  }

  static of(items: ImageItems, classNames: string[], imageSize: ImageSize, bounds: BytesSourceBounds): ImageIterable {
    return new ImageIterable(new Reader(items), [...classNames], imageSize, bounds, []);
  }

  /** Shape of one sample as the batches hold it: [height, width, 3]. */
  get sampleShape(): number[] {
    return [...this.imageSize, 3];
  }

  /** The items through a shuffle buffer of `buffer` (required), seeded: tf.data's `shuffle(buffer_size, seed)`. */
  shuffle(seed: number | undefined, options: { buffer: number }): ImageIterable {
    const buffer = checkBuffer(options?.buffer);
    const spec = { buffer, seed };
    return new ImageIterable(this.reader, this.classNames, this.imageSize, this.bounds, [...this.shuffles, spec]);
  }

  /**
   * One pass: decodes `batchSize` items at a time, in order (after any shuffle), the next batch read and decoded
   * while the caller works on the current one. Each batch is a new tensor the caller disposes; a bad item throws
   * its coded error once the batches before it were yielded. The source is closed when the pass ends or stops.
   */
  async *batches(batchSize: number): AsyncGenerator<ImageBatch> {
    let rows: AsyncGenerator<Numbered> = this.reader.open();
    for (const s of this.shuffles) rows = shuffleBuffer(rows, s.buffer, s.seed);
    const decoder = await openDecoder(this.bounds);
    const load = async () => {
      const part: Numbered[] = [];
      while (part.length < batchSize) {
        const r = await rows.next();
        if (r.done) break;
        part.push(r.value);
      }
      return part.length > 0 ? decodeItems(part, this.classNames, decoder, this.bounds) : null;
    };
    const prefetch = () => {
      const p = load();
      p.catch(() => {}); // awaited below; a prefetch the caller never reaches must not surface as unhandled
      return p;
    };
    try {
      let next = prefetch();
      for (let start = 0; ; ) {
        const got = await next;
        if (!got) return;
        next = prefetch();
        const x = await buildBatch(got.images, this.imageSize);
        yield { x, start, count: got.images.length, labels: got.labels };
        start += got.images.length;
      }
    } finally {
      await rows.return(undefined).catch(() => {});
      decoder.close();
    }
  }
}
