import type { FileCache } from '@graftjs/core';
import { GraftError } from '@graftjs/core';
import { readStreamCapped } from '@graftjs/core/adapter';
import { type FileSource, missing, tooLarge } from './file-source';
import { sha256Hex } from './sha256';

/** Reads at most `limit` bytes of a response body; stops the download as soon as it is exceeded. */
async function readBounded(res: Response, name: string, limit: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    throw tooLarge(name, limit, `a declared length of ${declared} bytes`);
  }
  if (!res.body) return new Uint8Array(0);
  const read = await readStreamCapped(res.body, limit);
  if (read.bytes === null) throw tooLarge(name, limit, `more than ${limit} bytes`);
  return read.bytes;
}

/**
 * Files under an http(s) base URL, with an optional verified cache in front; `published`: a file's own `url`
 * (catalogue entries whose files sit in different folders) wins over the base.
 */
export function urlSource(base: string, cache?: FileCache, published = false): FileSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  const fromCache = new Set<string>();
  return {
    where: root,
    async read(file, limit) {
      if (cache) {
        const hit = await cache.get(file.sha256);
        // A cached copy counts only if it still is the published file.
        if (hit && hit.byteLength === file.bytes && (await sha256Hex(hit)) === file.sha256) {
          fromCache.add(file.sha256);
          return hit;
        }
      }
      const url = new URL((published && file.url) || file.name, root).toString();
      let res: Response;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new GraftError('LOAD_FAILED', `expected to download ${url}; the request failed: ${(e as Error).message}`);
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        throw missing(file.name, root, `HTTP ${res.status}`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new GraftError('LOAD_FAILED', `expected HTTP 200 for ${url}; got HTTP ${res.status}`);
      }
      return readBounded(res, file.name, limit);
    },
    async keep(file, bytes) {
      if (!fromCache.has(file.sha256)) await cache?.put(file.sha256, bytes);
    },
  };
}
