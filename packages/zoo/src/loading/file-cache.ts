import { env, type FileCache } from '@graftjs/core';

export type { FileCache };

/**
 * The cache for verified downloads, keyed by content (SHA-256), in the order of transformers.js: a folder the
 * call names (Node), then `env.cache` (the app's own; null turns caching off), then the Cache API in browsers
 * or a folder in Node (`env.cacheDir`, else $GRAFT_CACHE_DIR, else ~/.cache/graft).
 */
export async function defaultCache(cacheDir?: string): Promise<FileCache | undefined> {
  if (cacheDir !== undefined && env.runtime.isNode) return (await import('./node-cache')).nodeCache(cacheDir);
  if (env.cache !== undefined) return env.cache ?? undefined;
  if (env.runtime.isNode) return (await import('./node-cache')).nodeCache();
  if (typeof caches !== 'undefined') return (await import('./browser-cache')).browserCache();
  return undefined;
}
