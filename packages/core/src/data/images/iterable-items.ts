import { describe, GraftError } from '../../errors/graft-error';
import type { BytesDecoder } from './bytes-decoder';
import { type BytesSourceBounds, decodeEncoded, type EncodedItem } from './bytes-source';
import { checkPixelBound } from './max-pixels';
import { isPixelBuffer } from './pixels-to-tensor';
import { itemBytes, type StreamItem } from './stream-items';
import { classIndex } from './stream-labels';
import type { DecodedImage, PixelBuffer } from './types';

/** What an iterable stream yields: an image (encoded bytes, a Blob/File, a path or URL, or 8-bit pixels) and its label. */
export interface ImageItem {
  image: Uint8Array | ArrayBuffer | StreamItem | PixelBuffer;
  /** A class name among the stream's `classNames`, or its index. */
  label: string | number;
}

/** An item with its position in the source, which errors name (shuffling keeps it). */
export interface Numbered {
  item: unknown;
  index: number;
}

/** How errors name item `index`: "item 7", with its path, URL or file name where it has one. */
export function itemName({ item, index }: Numbered): string {
  const image = (item as Partial<ImageItem> | null)?.image;
  if (typeof image === 'string') return `item ${index} (${image})`;
  if (image instanceof URL) return `item ${index} (${image.href})`;
  if (typeof File === 'function' && image instanceof File) return `item ${index} (${image.name})`;
  return `item ${index}`;
}

function checkItem(n: Numbered): ImageItem {
  const it = n.item as Partial<ImageItem> | null;
  if (typeof it !== 'object' || it === null || !('image' in it) || !('label' in it)) {
    throw new GraftError('INVALID_DATA', `expected { image, label } at item ${n.index}, got ${describe(n.item)}`, {
      index: n.index,
    });
  }
  return it as ImageItem;
}

/** 8-bit RGB or RGBA pixels of a known size, within maxPixels; others refused naming the item. */
function checkPixels(p: PixelBuffer, name: string, maxPixels: number): DecodedImage {
  const { width, height, data } = p;
  const ok = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0;
  if (!ok || (data.length !== width * height * 3 && data.length !== width * height * 4)) {
    throw new GraftError(
      'INVALID_IMAGE',
      `image ${JSON.stringify(name)}: expected ${width}x${height} 8-bit RGB or RGBA pixels, got ${data.length} bytes`,
      { path: name },
    );
  }
  checkPixelBound(width, height, maxPixels, `image ${JSON.stringify(name)}`);
  // kept as 8-bit until the batch is built; RGBA is dropped to RGB there
  return p as DecodedImage;
}

function encodedItem(image: ImageItem['image'], name: string, maxBytes: number): EncodedItem {
  if (image instanceof Uint8Array || image instanceof ArrayBuffer) {
    const bytes = image instanceof Uint8Array ? image : new Uint8Array(image);
    return {
      name,
      read: async () => {
        if (bytes.byteLength > maxBytes) {
          throw new GraftError(
            'FILE_TOO_LARGE',
            `image ${JSON.stringify(name)} is ${bytes.byteLength} bytes, above ${maxBytes} (maxBytes)`,
            { path: name, size: bytes.byteLength, limit: maxBytes },
          );
        }
        // a copy: the decode pool takes the bytes it gets (transferred), and the caller's may be read again
        return new Uint8Array(bytes);
      },
    };
  }
  const ok =
    (typeof image === 'string' && image.length > 0) ||
    image instanceof URL ||
    (typeof Blob === 'function' && image instanceof Blob);
  if (!ok) {
    throw new GraftError(
      'INVALID_DATA',
      `expected ${name}'s image as bytes, a Blob/File, a path or URL, or pixels {data, width, height}, got ${describe(image)}`,
      { path: name },
    );
  }
  return { name, read: () => itemBytes(image as StreamItem, name, maxBytes) };
}

/**
 * Labels and 8-bit pixels of a part of an iterable: labels checked against `classNames` first (a bad one names its
 * item before anything of the part is read), pixel items passed as they are, encoded ones read and decoded.
 */
export async function decodeItems(
  part: readonly Numbered[],
  classNames: readonly string[],
  decoder: BytesDecoder,
  bounds: BytesSourceBounds,
): Promise<{ labels: number[]; images: DecodedImage[] }> {
  const items = part.map(checkItem);
  const names = part.map(itemName);
  const labels = items.map((it, i) => classIndex(it.label, classNames, names[i]));
  const images: DecodedImage[] = new Array(items.length);
  const encoded: EncodedItem[] = [];
  const at: number[] = [];
  items.forEach((it, i) => {
    if (isPixelBuffer(it.image)) images[i] = checkPixels(it.image, names[i], bounds.maxPixels);
    else {
      encoded.push(encodedItem(it.image, names[i], bounds.maxBytes));
      at.push(i);
    }
  });
  const decoded = encoded.length > 0 ? await decodeEncoded(decoder, encoded, bounds.maxPixels) : [];
  decoded.forEach((img, k) => {
    images[at[k]] = img;
  });
  return { labels, images };
}
