import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backbone, mobilenetV1 } from '../src/index';
import { ASSETS, HAS_ASSETS, MOBILENET_LAYERS, warnIfNoAssets } from './helpers/assets';
import { expectGraftError } from './helpers/expect-graft-error';
import { type FileServer, serveFolder } from './helpers/file-server';

warnIfNoAssets('URL loading and the Node cache');

describe.skipIf(!HAS_ASSETS)('loading over HTTP (loopback) with the Node cache', () => {
  let server: FileServer;
  let work: string;
  const fileCount = backbone('mobilenet_v1_0.25_224').files.length;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'graft-zoo-url-'));
    server = await serveFolder(ASSETS);
  });
  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const weightsOf = (b: { model: import('@tensorflow/tfjs-layers').LayersModel }) =>
    Array.from(b.model.getLayer('conv_pw_13').getWeights()[0].dataSync().slice(0, 16));

  it('downloads and verifies every file once; the second load is served from the cache', async () => {
    const cacheDir = path.join(work, 'cache');
    const url = `${server.url}/mobilenet_v1_0.25_224/layers/`;
    const start = server.served();
    const before = tf.memory().numTensors;
    const first = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: url, cacheDir });
    expect(server.served() - start).toBe(fileCount);
    // content-addressed: one file per published file, named by its SHA-256
    const cached = readdirSync(path.join(cacheDir, 'sha256'));
    expect(cached.sort()).toEqual(
      backbone('mobilenet_v1_0.25_224')
        .files.map((f) => f.sha256)
        .sort(),
    );
    const second = await mobilenetV1({ alpha: 0.25, from: `${url}model.json`, cacheDir });
    expect(server.served() - start).toBe(fileCount);
    expect(weightsOf(second)).toEqual(weightsOf(first));
    first.model.dispose();
    second.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a tampered cache entry is ignored and fetched again', async () => {
    const cacheDir = path.join(work, 'cache-tamper');
    const url = `${server.url}/mobilenet_v1_0.25_224/layers`;
    (await mobilenetV1({ alpha: 0.25, from: url, cacheDir })).model.dispose();
    const shard = backbone('mobilenet_v1_0.25_224').files[1];
    const cachedFile = path.join(cacheDir, 'sha256', shard.sha256);
    const bytes = readFileSync(cachedFile);
    bytes[0] ^= 0xff;
    writeFileSync(cachedFile, bytes);
    const start = server.served();
    const again = await mobilenetV1({ alpha: 0.25, from: url, cacheDir });
    expect(server.served() - start).toBe(1);
    expect(readFileSync(cachedFile).equals(readFileSync(path.join(MOBILENET_LAYERS, shard.name)))).toBe(true);
    again.model.dispose();
  });

  it('uses $GRAFT_CACHE_DIR when no cacheDir is given, and cache: false bypasses it', async () => {
    const envDir = path.join(work, 'env-cache');
    const old = process.env.GRAFT_CACHE_DIR;
    process.env.GRAFT_CACHE_DIR = envDir;
    try {
      const url = `${server.url}/mobilenet_v1_0.25_224/layers/`;
      (await mobilenetV1({ alpha: 0.25, from: url })).model.dispose();
      expect(readdirSync(path.join(envDir, 'sha256'))).toHaveLength(fileCount);
      const start = server.served();
      (await mobilenetV1({ alpha: 0.25, from: url, cache: false })).model.dispose();
      expect(server.served() - start).toBe(fileCount);
    } finally {
      if (old === undefined) delete process.env.GRAFT_CACHE_DIR;
      else process.env.GRAFT_CACHE_DIR = old;
    }
  });

  it("stores downloads in the app's env.cache and serves the next load from it", async () => {
    const store = new Map<string, Uint8Array>();
    const saved = env.cache;
    env.cache = { get: async (k) => store.get(k), put: async (k, b) => void store.set(k, b) };
    try {
      const url = `${server.url}/mobilenet_v1_0.25_224/layers/`;
      const first = await mobilenetV1({ alpha: 0.25, from: url });
      expect([...store.keys()].sort()).toEqual(
        backbone('mobilenet_v1_0.25_224')
          .files.map((f) => f.sha256)
          .sort(),
      );
      const start = server.served();
      const second = await mobilenetV1({ alpha: 0.25, from: url });
      expect(server.served() - start).toBe(0);
      expect(weightsOf(second)).toEqual(weightsOf(first));
      first.model.dispose();
      second.model.dispose();
    } finally {
      env.cache = saved;
    }
  });

  it('a file the server does not have: WEIGHTS_MISSING naming it', async () => {
    const copy = path.join(work, 'served-missing');
    cpSync(MOBILENET_LAYERS, copy, { recursive: true });
    rmSync(path.join(copy, 'group7-shard1of1'));
    const local = await serveFolder(copy);
    try {
      await expectGraftError(
        mobilenetV1({ alpha: 0.25, from: local.url, cache: false }),
        'WEIGHTS_MISSING',
        /group7-shard1of1/,
        /HTTP 404/,
      );
    } finally {
      await local.close();
    }
  });

  it('a served file bigger than published: FILE_TOO_LARGE, and nothing is cached', async () => {
    const copy = path.join(work, 'served-large');
    cpSync(MOBILENET_LAYERS, copy, { recursive: true });
    writeFileSync(path.join(copy, 'group3-shard1of1'), new Uint8Array(10_000_000));
    const cacheDir = path.join(work, 'cache-large');
    for (const [chunked, got] of [
      [false, /declared length of 10000000 bytes/],
      [true, /more than 288 bytes/],
    ] as const) {
      const local = await serveFolder(copy, { chunked });
      try {
        await expectGraftError(
          mobilenetV1({ alpha: 0.25, from: local.url, cacheDir }),
          'FILE_TOO_LARGE',
          /group3-shard1of1/,
          /at most 288 bytes/,
          got,
        );
        expect(existsSync(path.join(cacheDir, 'sha256'))).toBe(false);
      } finally {
        await local.close();
      }
    }
  });
});
