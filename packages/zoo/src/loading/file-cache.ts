/** Verified downloads kept by content (SHA-256), so any URL serving the same bytes hits the same entry. */
export interface FileCache {
  get(sha256: string): Promise<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Node: a folder ($GRAFT_CACHE_DIR, else ~/.cache/graft). Browser: the Cache API. Elsewhere: none. */
export async function defaultCache(cacheDir?: string): Promise<FileCache | undefined> {
  if (isNode) {
    const { nodeCache } = await import('./node-cache');
    return nodeCache(cacheDir);
  }
  if (typeof caches !== 'undefined') {
    const { browserCache } = await import('./browser-cache');
    return browserCache();
  }
  return undefined;
}
