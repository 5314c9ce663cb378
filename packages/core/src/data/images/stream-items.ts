import { describe, GraftError } from '../../errors/graft-error';
import { withContext } from './error-context';
import { blobImageBytes, fetchImageBytes } from './read-image-url';

/** What a listed stream may hold: a file path (Node), a URL (a `URL`, or a string in browsers), a `Blob`/`File`. */
export type StreamItem = string | URL | Blob;

/** True where Node's fs exists: strings are file paths there unless they look like URLs. */
export function inNode(): boolean {
  return Boolean((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node);
}

const URL_SCHEME = /^(https?|blob|data):/i;

/** A string a stream fetches rather than reads from disk: every string in a browser, http(s)/blob/data in Node. */
export function isUrlString(s: string): boolean {
  return URL_SCHEME.test(s) || !inNode();
}

function isBlob(x: unknown): x is Blob {
  return typeof Blob === 'function' && x instanceof Blob;
}

/**
 * Each item's name (what errors and the stream's identity use; unique): a path or URL as given, a `File` as
 * `images[i] name`, a `Blob` as `images[i]`. Anything else is refused (INVALID_DATA) naming its index.
 */
export function itemNames(items: readonly unknown[]): string[] {
  // a repeated path or URL is the same image under one name; a blob's name carries its index, so never repeats
  return items.map((item, i) => {
    if (typeof item === 'string' && item.length > 0) return item;
    if (item instanceof URL) return item.href;
    if (isBlob(item)) return `images[${i}]${'name' in item ? ` ${(item as File).name}` : ''}`;
    throw new GraftError(
      'INVALID_DATA',
      `expected file paths, URLs or Blobs/Files to stream (stream: true), got ${describe(item)} at images[${i}]`,
      { index: i },
    );
  });
}

/** True when every item is a file path Node can read (the worker pool reads those itself). */
export function allFilePaths(items: readonly unknown[]): items is string[] {
  return inNode() && items.every((f) => typeof f === 'string' && !isUrlString(f));
}

/** The encoded bytes of one item, bounded by `maxBytes`; read errors name the item. */
export async function itemBytes(item: StreamItem, name: string, maxBytes: number): Promise<Uint8Array> {
  if (isBlob(item)) return blobImageBytes(item, name, maxBytes);
  if (item instanceof URL || isUrlString(item)) return fetchImageBytes(String(item), maxBytes);
  const { readFileBytes } = await import('./read-image-file');
  const bytes = await readFileBytes(item);
  if (bytes.byteLength > maxBytes) {
    throw withContext(
      new GraftError('FILE_TOO_LARGE', `${bytes.byteLength} bytes, above ${maxBytes} (maxBytes)`, {
        path: item,
        size: bytes.byteLength,
        limit: maxBytes,
      }),
      `image file ${JSON.stringify(item)}`,
    );
  }
  return bytes;
}
