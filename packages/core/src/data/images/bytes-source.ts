import { GraftError } from '../../errors/graft-error';
import { canDecodeBitmaps } from './bitmap-decode';
import { type BytesDecoder, ItemDecodeError, sequentialDecoder } from './bytes-decoder';
import { checkEncoded } from './encoded-check';
import { withContext } from './error-context';
import { inNode, itemBytes, type StreamItem } from './stream-items';
import type { DecodedImage, PixelSource, PixelSourceFactory } from './types';

export interface BytesSourceBounds {
  maxPixels: number;
  /** Most encoded bytes one image may have; a larger one is refused (FILE_TOO_LARGE), unread where its size is known. */
  maxBytes: number;
  /** Decode workers: Web Workers in a browser, worker threads in Node (undefined: the default, 0: none). */
  workers: number | undefined;
}

/**
 * The decoder a pass uses: the browser's own, in Web Workers where it can; in Node graft's JavaScript decoders in
 * worker threads (`workers`, 0: the calling thread).
 */
export async function openDecoder(bounds: BytesSourceBounds): Promise<BytesDecoder> {
  if (canDecodeBitmaps()) {
    const { browserDecodePool, defaultBrowserWorkers } = await import('./browser-decode-pool');
    return browserDecodePool(bounds.workers ?? defaultBrowserWorkers());
  }
  if (inNode() && bounds.workers !== 0) {
    const { NodeDecodePool, defaultDecodeWorkers } = await import('./node-decode-pool');
    const pool = new NodeDecodePool(bounds.workers ?? defaultDecodeWorkers(), bounds.maxPixels);
    return { decode: (bytes) => pool.decodeBytes(bytes), close: () => void pool.close() };
  }
  const { decodeImage } = await import('./decode-image');
  return sequentialDecoder((b) => decodeImage(b, { maxPixels: bounds.maxPixels }));
}

function itemError(e: ItemDecodeError, name: string): unknown {
  if (e.cause instanceof GraftError) return withContext(e.cause, `image ${JSON.stringify(name)}`);
  return new GraftError('INVALID_IMAGE', `could not decode image ${JSON.stringify(name)}: ${e.message}`, {
    path: name,
  });
}

/** One encoded image of a batch: its name (for errors) and how to read its bytes. */
export interface EncodedItem {
  name: string;
  read: () => Promise<Uint8Array>;
}

/**
 * Reads a batch's bytes concurrently, checks them (JPEG or PNG, maxPixels from the header) and decodes them to
 * 8-bit RGB. The first bad item in batch order rejects with its coded error naming it.
 */
export async function decodeEncoded(
  decoder: BytesDecoder,
  items: readonly EncodedItem[],
  maxPixels: number,
): Promise<DecodedImage[]> {
  const read = await Promise.allSettled(items.map((it) => it.read()));
  const failed = read.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const bytes = read.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value);
  for (const [i, b] of bytes.entries()) {
    try {
      checkEncoded(b, maxPixels);
    } catch (e) {
      throw withContext(e, `image ${JSON.stringify(items[i].name)}`);
    }
  }
  try {
    return await decoder.decode(bytes);
  } catch (e) {
    throw e instanceof ItemDecodeError ? itemError(e, items[e.index].name) : e;
  }
}

/**
 * Items that are not file paths for the worker pool (URLs fetched, Blobs/Files read), by name, decoded batch by
 * batch by `decodeEncoded`.
 */
export function bytesSource(
  names: readonly string[],
  items: readonly StreamItem[],
  bounds: BytesSourceBounds,
): PixelSourceFactory {
  const byName = new Map(names.map((n, i) => [n, items[i]]));
  return async (): Promise<PixelSource> => {
    const decoder = await openDecoder(bounds);
    return {
      decode(batch) {
        const encoded = batch.map((name) => ({
          name,
          read: () => itemBytes(byName.get(name) as StreamItem, name, bounds.maxBytes),
        }));
        return decodeEncoded(decoder, encoded, bounds.maxPixels);
      },
      async close() {
        decoder.close();
      },
    };
  };
}
