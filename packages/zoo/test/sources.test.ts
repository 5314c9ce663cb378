import { afterEach, describe, expect, it } from 'vitest';
import { loadBackbone, mobilenetV1, sha256Hex } from '../src/index';
import { browserCache } from '../src/loading/browser-cache';
import { expectGraftError } from './helpers/expect-graft-error';

describe('sha256Hex (Web Crypto)', () => {
  it('matches the FIPS 180-2 test vectors', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('in-memory sources (no assets needed)', () => {
  it('a map without model.json: WEIGHTS_MISSING', async () => {
    await expectGraftError(
      mobilenetV1({ alpha: 0.25, from: new Map([['group1-shard1of1', new Uint8Array(864)]]) }),
      'WEIGHTS_MISSING',
      /"model\.json" at the given file map/,
    );
  });

  it('a record whose values are neither bytes nor absolute http(s) URLs: INVALID_OPTION', async () => {
    await expectGraftError(
      loadBackbone('darknet_tiny', { from: { 'model.json': 42 as never } }),
      'INVALID_OPTION',
      /"model\.json" as a Uint8Array or ArrayBuffer/,
    );
    // a record of strings is file name -> URL (tests/text/use-lite-urls.test.ts loads one from a loopback server)
    await expectGraftError(
      loadBackbone('darknet_tiny', { from: { 'model.json': 'hello' } }),
      'INVALID_OPTION',
      /absolute http\(s\) URL; got .*hello.* for "model\.json"/,
    );
  });

  it('a File bigger than the published file is refused from its size, before reading', async () => {
    let read = false;
    const huge = {
      name: 'model.json',
      size: 10_000_000,
      arrayBuffer: async () => {
        read = true;
        return new ArrayBuffer(0);
      },
    };
    await expectGraftError(loadBackbone('darknet_tiny', { from: [huge] }), 'FILE_TOO_LARGE', /got 10000000 bytes/);
    expect(read).toBe(false);
  });

  it('model.json bytes that are not UTF-8: INVALID_MODEL_FILE', async () => {
    await expectGraftError(
      loadBackbone('darknet_tiny', { from: { 'model.json': new Uint8Array([0xff, 0xfe, 0x00]) } }),
      'INVALID_MODEL_FILE',
      /not UTF-8/,
    );
  });
});

describe('browser cache (Cache API, here a minimal in-memory stand-in)', () => {
  const original = (globalThis as { caches?: unknown }).caches;
  afterEach(() => {
    (globalThis as { caches?: unknown }).caches = original;
  });

  it('stores and returns bytes by SHA-256 under a never-fetched key', async () => {
    const store = new Map<string, ArrayBuffer>();
    const opened: string[] = [];
    (globalThis as { caches?: unknown }).caches = {
      open: async (name: string) => {
        opened.push(name);
        return {
          match: async (key: string) => (store.has(key) ? new Response(store.get(key)) : undefined),
          put: async (key: string, res: Response) => {
            store.set(key, await res.arrayBuffer());
          },
        };
      },
    };
    const cache = browserCache();
    expect(await cache.get('abc')).toBeUndefined();
    await cache.put('abc', new Uint8Array([1, 2, 3]));
    expect([...store.keys()]).toEqual(['https://graft.invalid/sha256/abc']);
    expect(Array.from((await cache.get('abc')) ?? [])).toEqual([1, 2, 3]);
    expect(new Set(opened)).toEqual(new Set(['graft-zoo']));
  });

  it('a failing Cache API (quota, private mode) is not an error: it just misses', async () => {
    (globalThis as { caches?: unknown }).caches = {
      open: async () => {
        throw new Error('SecurityError');
      },
    };
    const cache = browserCache();
    await cache.put('abc', new Uint8Array([1]));
    expect(await cache.get('abc')).toBeUndefined();
  });
});
