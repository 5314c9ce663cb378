import type { FileCache } from '@graftjs/core';
import { describe, GraftError } from '@graftjs/core';
import { type FileSource, missing } from './file-source';
import { urlSource } from './url-source';

/** A record of file name -> URL, each value an absolute http(s) URL (a string or URL). */
export type UrlMap = Record<string, string | URL>;

const HTTP = /^https?:\/\//i;

/** True for a non-empty plain record whose every value is a string or URL (bytes records are memory sources). */
export function isUrlMap(x: unknown): x is UrlMap {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || x instanceof Map) return false;
  const values = Object.values(x);
  return values.length > 0 && values.every((v) => typeof v === 'string' || v instanceof URL);
}

/**
 * Files each at a URL of its own, by file name: what a bundler hands back for `new URL('…', import.meta.url)`
 * assets, whose emitted names carry a hash, so no folder URL names them all.
 */
export function urlMapSource(urls: UrlMap, cache?: FileCache): FileSource {
  const byName = new Map<string, string>();
  for (const [name, url] of Object.entries(urls)) {
    const href = String(url);
    if (!HTTP.test(href))
      throw new GraftError(
        'INVALID_OPTION',
        `expected from: file name -> absolute http(s) URL; got ${describe(href)} for ${JSON.stringify(name)}`,
      );
    byName.set(name, href);
  }
  const where = 'the given file URLs';
  const first = byName.values().next().value as string;
  // published = true: each file is fetched from its own `url`, the base only names the source in messages
  const fetcher = urlSource(first, cache, true);
  return {
    where,
    read(file, limit) {
      const url = byName.get(file.name);
      if (url === undefined) return Promise.reject(missing(file.name, where));
      return fetcher.read({ ...file, url }, limit);
    },
    keep: fetcher.keep,
  };
}
