import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, type FileCache } from '@graftjs/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultCache } from '../src/loading/file-cache';

/** A cache that keeps bytes in memory and records what it was asked. */
function memoryCache(): FileCache & { puts: string[] } {
  const store = new Map<string, Uint8Array>();
  const puts: string[] = [];
  return {
    puts,
    get: async (key) => store.get(key),
    put: async (key, bytes) => {
      puts.push(key);
      store.set(key, bytes);
    },
  };
}

describe('the download cache follows env: the call, then env.cache, then the built-in folder', () => {
  let work: string;
  const saved = { cache: env.cache, cacheDir: env.cacheDir, var: process.env.GRAFT_CACHE_DIR };
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'graft-cache-chain-'));
    return () => rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => {
    env.cache = saved.cache;
    env.cacheDir = saved.cacheDir;
    if (saved.var === undefined) delete process.env.GRAFT_CACHE_DIR;
    else process.env.GRAFT_CACHE_DIR = saved.var;
  });

  const key = 'ab'.repeat(32);
  const bytes = new Uint8Array([1, 2, 3]);

  it("uses the app's env.cache, and none when env.cache is null", async () => {
    const mine = memoryCache();
    env.cache = mine;
    expect(await defaultCache()).toBe(mine);
    env.cache = null;
    expect(await defaultCache()).toBeUndefined();
  });

  it('a cacheDir given to the call wins over env.cache', async () => {
    env.cache = memoryCache();
    const dir = path.join(work, 'per-call');
    const cache = await defaultCache(dir);
    await cache?.put(key, bytes);
    expect(new Uint8Array(readFileSync(path.join(dir, 'sha256', key)))).toEqual(bytes);
    expect((env.cache as ReturnType<typeof memoryCache>).puts).toEqual([]);
  });

  it('env.cacheDir names the Node folder, before $GRAFT_CACHE_DIR', async () => {
    env.cacheDir = path.join(work, 'from-env');
    process.env.GRAFT_CACHE_DIR = path.join(work, 'from-var');
    await (await defaultCache())?.put(key, bytes);
    expect(new Uint8Array(readFileSync(path.join(work, 'from-env', 'sha256', key)))).toEqual(bytes);
    env.cacheDir = undefined;
    const viaVar = await defaultCache();
    expect(await viaVar?.get(key)).toBeUndefined();
    await viaVar?.put(key, bytes);
    expect(new Uint8Array(readFileSync(path.join(work, 'from-var', 'sha256', key)))).toEqual(bytes);
  });
});
