import { describe, env, GraftError } from '@graftjs/core';
import { directorySource } from './directory-source';
import { defaultCache } from './file-cache';
import type { FileSource } from './file-source';
import { blobSource, memorySource } from './memory-source';
import type { CatalogueEntry, LoadOptions, NamedBlob } from './types';
import { isUrlMap, urlMapSource } from './url-map-source';
import { urlSource } from './url-source';

/** "…/model.json" and "…/" name the same folder. */
function folderOf(location: string): string {
  return location.replace(/model\.json$/, '');
}

function isBlobList(x: unknown): x is ArrayLike<NamedBlob> {
  if (typeof x !== 'object' || x === null || typeof (x as ArrayLike<unknown>).length !== 'number') return false;
  return Array.from(x as ArrayLike<unknown>).every(
    (b) => typeof b === 'object' && b !== null && typeof (b as NamedBlob).arrayBuffer === 'function',
  );
}

/** Where the files of `entry` are read from: `options.from`, else the catalogue location. */
export async function resolveSource(entry: CatalogueEntry, options: LoadOptions): Promise<FileSource> {
  let from = options.from ?? entry.location;
  if (from instanceof URL) from = from.toString();
  if (typeof from === 'string') {
    if (/^https?:\/\//i.test(from)) {
      const cache = options.cache === false ? undefined : await defaultCache(options.cacheDir);
      // files published outside the folder are fetched where published only from the catalogue's own location
      return urlSource(folderOf(from), cache, options.from === undefined);
    }
    if (/^file:\/\//i.test(from) && env.runtime.isNode) {
      const { fileURLToPath } = await import('node:url');
      from = fileURLToPath(from);
    } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(from)) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected from: an http(s) URL, a folder path or files; got ${describe(from)}`,
      );
    }
    if (!env.runtime.isNode) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected from: a URL or Files in a browser; got the path ${describe(from)}`,
      );
    }
    return directorySource(folderOf(from));
  }
  if (from instanceof Map) return memorySource(from);
  if (isUrlMap(from))
    return urlMapSource(from, options.cache === false ? undefined : await defaultCache(options.cacheDir));
  if (isBlobList(from)) return blobSource(from);
  if (typeof from === 'object' && from !== null && !Array.isArray(from)) {
    return memorySource(from as Record<string, Uint8Array | ArrayBuffer>);
  }
  throw new GraftError(
    'INVALID_OPTION',
    `expected from: an http(s) URL, a folder path, Files or a map of file name to bytes or to URL; got ${describe(from)}`,
  );
}
