import type { FileCache } from '@graftjs/core';

const CACHE_NAME = 'graft-zoo';
// Cache API keys must be http(s) URLs; this host is reserved (RFC 2606) and never fetched.
const keyFor = (sha256: string) => `https://graft.invalid/sha256/${sha256}`;

/** Browser cache through the Cache API. */
export function browserCache(): FileCache {
  return {
    async get(sha256) {
      try {
        const hit = await (await caches.open(CACHE_NAME)).match(keyFor(sha256));
        return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
      } catch {
        return undefined;
      }
    },
    async put(sha256, bytes) {
      try {
        await (await caches.open(CACHE_NAME)).put(keyFor(sha256), new Response(bytes as Uint8Array<ArrayBuffer>));
      } catch {
        // Quota or private mode: keep going without a cache.
      }
    },
  };
}
