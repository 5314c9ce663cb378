import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { env, type FileCache } from '@graftjs/core';

/** `env.cacheDir`, else $GRAFT_CACHE_DIR (the setting before `env`), else ~/.cache/graft. */
export function defaultCacheDir(): string {
  return env.cacheDir || process.env.GRAFT_CACHE_DIR || join(homedir(), '.cache', 'graft');
}

/** Files under <dir>/sha256/<hex>; written to a temp file then renamed, so a reader never sees half a file. */
export function nodeCache(dir: string = defaultCacheDir()): FileCache {
  const folder = join(dir, 'sha256');
  return {
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(join(folder, sha256)));
      } catch {
        return undefined;
      }
    },
    async put(sha256, bytes) {
      const tmp = join(folder, `${sha256}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      try {
        await mkdir(folder, { recursive: true });
        await writeFile(tmp, bytes);
        await rename(tmp, join(folder, sha256));
      } catch {
        // The cache is an optimisation: a read-only or full disk must not fail the load.
        await rm(tmp, { force: true }).catch(() => undefined);
      }
    },
  };
}
