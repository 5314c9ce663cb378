import type { DecodedImage } from './types';

/**
 * Decodes batches of encoded images already checked by `checkEncoded` (JPEG or PNG within maxPixels): on the
 * calling thread with the JavaScript decoders, with the browser's decoder, or in a pool of Web Workers.
 * The first image that fails rejects the batch with an `ItemDecodeError` holding its index in the batch.
 */
export interface BytesDecoder {
  decode(bytes: Uint8Array[]): Promise<DecodedImage[]>;
  close(): void;
}

/** Image `index` of a batch could not be decoded; the source names the item and gives the coded error. */
export class ItemDecodeError extends Error {
  constructor(
    readonly index: number,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** A decoder that runs `one` on each image in turn on the calling thread. */
export function sequentialDecoder(one: (b: Uint8Array) => DecodedImage | Promise<DecodedImage>): BytesDecoder {
  return {
    async decode(bytes) {
      const out: DecodedImage[] = [];
      for (let i = 0; i < bytes.length; i++) {
        try {
          out.push(await one(bytes[i]));
        } catch (e) {
          throw new ItemDecodeError(i, e);
        }
      }
      return out;
    },
    close() {},
  };
}

/**
 * Exactly `b`'s bytes as an ArrayBuffer to transfer to a worker: `b`'s own buffer when `b` spans all of it, else
 * a copy (through Uint8Array's `slice`, since a Node Buffer's `slice` is a view of the same memory).
 */
export function transferable(b: Uint8Array): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b.buffer as ArrayBuffer;
  return Uint8Array.prototype.slice.call(b).buffer as ArrayBuffer;
}
