/**
 * The streamed feature pass's store (issue 18, items 2): past `env.featureStore.maxBytes` it spills batches to a
 * temp folder under the cache dir, and a fit trains the same head as without spilling; the folder goes after the
 * fit. An aborted pass keeps its rows, and the next fit of the same stream resumes after them (only the remaining
 * images go through the base); another base or listing starts over; a bad file keeps nothing.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, fromDirectory, type ProgressEvent } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';
import { flowerStream, maxDiff, tinyBase, tinyModel, trainable } from '../helpers/tiny-transfer';

/** 4 float32 features per image: one batch of 32 is 512 bytes. */
const BATCH_BYTES = 32 * 4 * 4;

describe.skipIf(!HAVE_ASSETS)('feature store: spill and resume', () => {
  let tmp: string;
  const saved = { cacheDir: env.cacheDir, maxBytes: env.featureStore.maxBytes, logLevel: env.logLevel };
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'graft-store-'));
    env.cacheDir = tmp;
    await useBackend('cpu');
  });
  afterEach(() => {
    env.featureStore.maxBytes = saved.maxBytes;
    env.logLevel = saved.logLevel;
  });
  afterAll(() => {
    env.cacheDir = saved.cacheDir;
    rmSync(tmp, { recursive: true, force: true });
  });
  const spillFolders = () => (existsSync(join(tmp, 'features')) ? readdirSync(join(tmp, 'features')) : []);

  it('past the bound batches spill to files; the head equals the unspilled one; the files go after the fit', async () => {
    const stream = await flowerStream(16); // 80 images: batches of 32, 32, 16
    const a = tinyModel(5);
    const b = tinyModel(5);
    const leftover = join(tmp, 'features', `features-${(Date.now() - 2 * 86_400_000).toString(36)}-killed`);
    mkdirSync(leftover, { recursive: true }); // as a killed process leaves it, two days ago
    env.featureStore.maxBytes = BATCH_BYTES + 100; // the first batch stays in memory, the other two spill
    const seen: { files: string[]; spilled: number; memory: number }[] = [];
    const onProgress = (e: ProgressEvent) => {
      const s = e.featureStore;
      if (e.phase !== 'features' || !s) return;
      seen.push({
        files: s.location ? readdirSync(s.location).sort() : [],
        spilled: s.spilledBytes,
        memory: s.memoryBytes,
      });
    };
    await a.fit(stream, { seed: 1, onProgress });
    expect(seen).toEqual([
      { files: [], spilled: 0, memory: BATCH_BYTES },
      { files: ['chunk-000001.f32'], spilled: BATCH_BYTES, memory: BATCH_BYTES },
      { files: ['chunk-000001.f32', 'chunk-000002.f32'], spilled: BATCH_BYTES + 16 * 16, memory: BATCH_BYTES },
    ]);
    expect(spillFolders()).toEqual([]); // its own folder, and the day-old leftover
    env.featureStore.maxBytes = Number.POSITIVE_INFINITY;
    await b.fit(stream, { seed: 1 });
    expect(a.lastFit?.solver).toBe('lbfgs');
    expect(maxDiff(await trainable(a), await trainable(b))).toBeLessThan(1e-6);
    // the gradient loop too, everything spilled this time
    env.featureStore.maxBytes = 0;
    await a.fit(stream, { epochs: 2, seed: 3 });
    env.featureStore.maxBytes = Number.POSITIVE_INFINITY;
    await b.fit(stream, { epochs: 2, seed: 3 });
    expect(maxDiff(await trainable(a), await trainable(b))).toBeLessThan(1e-6);
    expect(spillFolders()).toEqual([]);
    const before = tf.memory().numTensors; // the optimizer's slots exist now
    env.featureStore.maxBytes = 0;
    await a.fit(stream, { epochs: 1, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    env.featureStore.maxBytes = -1;
    const bad = await a.fit(stream).catch((e) => e);
    expect(bad.code).toBe('INVALID_OPTION');
    expect(bad.message).toContain('env.featureStore.maxBytes');
    await a.dispose();
    await b.dispose();
  });

  it('an aborted pass resumes: only the remaining images run through the base, the head equals an uninterrupted fit', async () => {
    const stream = await flowerStream(16);
    const counted = { images: 0 };
    const m = tinyModel(5, tinyBase(counted));
    const ref = tinyModel(5);
    await m.fit(stream.take([0, 16, 32, 48, 64]), { epochs: 1 }); // builds the head: what the model owns
    await ref.fit(stream.take([0, 16, 32, 48, 64]), { epochs: 1 });
    const before = tf.memory().numTensors;
    env.featureStore.maxBytes = 0; // the kept rows are on disk
    counted.images = 0;
    const ctrl = new AbortController();
    const err = await m.fit(stream, { seed: 1, signal: ctrl.signal, onProgress: () => ctrl.abort() }).catch((e) => e);
    expect(err.code).toBe('ABORTED');
    expect(err.details).toEqual({ done: 32, total: 80 });
    expect(counted.images).toBe(32);
    expect(tf.memory().numTensors).toBe(before);
    expect(spillFolders().length).toBe(1); // kept for the resume
    const events: ProgressEvent[] = [];
    await m.fit(stream, { seed: 1, onProgress: (e) => events.push(e) });
    expect(counted.images).toBe(80); // 48 more, not 80 more
    const features = events.filter((e) => e.phase === 'features');
    expect(features.map((e) => [e.resumedFrom, e.fraction])).toEqual([
      [32, 64 / 80],
      [32, 1],
    ]);
    expect(spillFolders()).toEqual([]);
    await ref.fit(stream, { seed: 1 });
    expect(maxDiff(await trainable(m), await trainable(ref))).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    await m.dispose();
    await ref.dispose();
  });

  it('another listing or base starts over and says so; dispose removes what an abort kept', async () => {
    const stream = await flowerStream(16);
    const counted = { images: 0 };
    const base = tinyBase(counted);
    const m = tinyModel(5, base);
    env.featureStore.maxBytes = 0;
    env.logLevel = 'info';
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const abortAfterFirst = async (s: typeof stream) => {
      const ctrl = new AbortController();
      const e = await m.fit(s, { signal: ctrl.signal, onProgress: () => ctrl.abort() }).catch((x) => x);
      expect(e.code).toBe('ABORTED');
    };
    try {
      await abortAfterFirst(stream);
      const firsts: (number | undefined)[] = [];
      const first = (e: ProgressEvent) => firsts.push(e.resumedFrom);
      await m.fit(stream.shuffle(4), { epochs: 1, onProgress: first });
      expect(firsts[0]).toBe(0);
      expect(info.mock.calls.at(-1)?.[0]).toMatch(
        /32 images of an aborted feature pass are not reused \(the stream lists other/,
      );
      await abortAfterFirst(stream);
      base.setWeights(base.getWeights().map((w) => tf.mul(w, 2))); // the base's weights change
      counted.images = 0;
      firsts.length = 0;
      await m.fit(stream, { epochs: 1, onProgress: first });
      expect(firsts[0]).toBe(0);
      expect(counted.images).toBe(80);
      expect(info.mock.calls.at(-1)?.[0]).toMatch(/not reused \(the base, its weights or its preprocessing changed\)/);
      await abortAfterFirst(stream);
      expect(spillFolders().length).toBe(1);
      await m.dispose();
      await vi.waitFor(() => expect(spillFolders()).toEqual([]));
    } finally {
      info.mockRestore();
    }
  });

  it('a bad file halfway keeps nothing: after the file is fixed the pass starts at the first image', async () => {
    const root = join(tmp, 'bad');
    const daisies = readdirSync(`${ASSETS}/flowers/daisy`).sort().slice(0, 40);
    daisies.forEach((f, i) => {
      const dir = join(root, i < 20 ? 'a' : 'b');
      mkdirSync(dir, { recursive: true });
      copyFileSync(`${ASSETS}/flowers/daisy/${f}`, join(dir, f));
    });
    const broken = join(root, 'b', 'zz-broken.jpg'); // the last file: its batch is the second
    writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const stream = await fromDirectory(root, { stream: true, size: [16, 16] });
    const m = tinyModel(2);
    await m.fit(stream.take([0, 39]), { epochs: 1 });
    const before = tf.memory().numTensors;
    env.featureStore.maxBytes = 0;
    const err = await m.fit(stream).catch((e) => e);
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toContain(broken);
    expect(spillFolders()).toEqual([]); // the first batch had spilled: it is gone
    expect(tf.memory().numTensors).toBe(before);
    copyFileSync(`${ASSETS}/flowers/daisy/${daisies[0]}`, broken); // same listing, now readable
    const firsts: (number | undefined)[] = [];
    await m.fit(stream, { onProgress: (e) => firsts.push(e.resumedFrom) });
    expect(firsts).toEqual([0, 0]);
    expect(tf.memory().numTensors).toBe(before);
    await m.dispose();
  });
});
