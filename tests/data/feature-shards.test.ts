/**
 * Feature shards (issue 18, item 4; format in docs/scale.md): shards written by separate processes join, in shard
 * order whatever the order given, into features a head fit trains on exactly as on one pass over the listing.
 * A damaged shard or shards that do not belong together get coded errors naming the files.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromFeatureShards, fromImages, sequential, writeFeatureShard } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';
import { flowerStream, maxDiff, tinyBase, tinyModel, trainable } from '../helpers/tiny-transfer';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, '../helpers/write-shard-child.ts');
const PER_CLASS = 12; // 60 images

async function childShard(path: string, shard: number, of: number): Promise<void> {
  await run(process.execPath, [
    '--conditions=graft-source',
    '--import',
    'tsx',
    CHILD,
    path,
    String(shard),
    String(of),
    String(PER_CLASS),
  ]);
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  return p.then(
    () => ({ code: 'none', message: '' }),
    (e) => e,
  );
}

describe.skipIf(!HAVE_ASSETS)('feature shards', () => {
  let tmp: string;
  let s0: string;
  let s1: string;
  beforeAll(async () => {
    await useBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'graft-shards-'));
    [s0, s1] = [join(tmp, 'part-0.grft'), join(tmp, 'part-1.grft')];
    await Promise.all([childShard(s1, 1, 2), childShard(s0, 0, 2)]);
  }, 180_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('two shards from two processes train the same head as one pass over the whole listing', async () => {
    const stream = await flowerStream(PER_CLASS);
    const shards = await fromFeatureShards([s1, s0]); // given out of order: joined in shard order
    expect(shards.files).toEqual([s0, s1]);
    expect(shards.images).toEqual(stream.files);
    expect(shards.labels).toEqual(stream.labels);
    expect(shards.classNames).toEqual(stream.classNames);
    const a = tinyModel(5);
    const b = tinyModel(5);
    await a.fit(shards, { seed: 1 });
    await b.fit(stream, { seed: 1 });
    expect(a.lastFit?.solver).toBe('lbfgs');
    expect(maxDiff(await trainable(a), await trainable(b))).toBeLessThan(1e-5);
    await a.fit(shards, { epochs: 2, seed: 3 });
    await b.fit(stream, { epochs: 2, seed: 3 });
    expect(maxDiff(await trainable(a), await trainable(b))).toBeLessThan(1e-5);
    const before = tf.memory().numTensors;
    await a.fit(shards, { epochs: 1, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    // three shards written here, by another model instance of the same base, hold the same bytes in the same order
    const m = tinyModel(5);
    const three = [0, 1, 2].map((i) => join(tmp, `three-${i}.grft`));
    for (const i of [2, 0, 1]) {
      const header = await writeFeatureShard(m, stream, three[i], { shard: i, of: 3 });
      expect(header.shard).toEqual({ index: i, of: 3, start: i * 20, total: 60 });
      expect(header.rows).toBe(20);
    }
    const joined = await fromFeatureShards(three);
    expect(Buffer.from(joined.features().buffer).equals(Buffer.from(shards.features().buffer))).toBe(true);
    await Promise.all([a, b, m].map((x) => x.dispose()));
  });

  it('a damaged shard is refused: bad magic, another version, truncated, checksum; a missing file', async () => {
    const good = readFileSync(s0);
    const damaged = (name: string, edit: (b: Buffer) => Buffer | undefined) => {
      const p = join(tmp, name);
      const b = Buffer.from(good);
      writeFileSync(p, edit(b) ?? b);
      return fromFeatureShards([p, s1]);
    };
    const magic = await failure(
      damaged('magic.grft', (b) => {
        b[0] = 0x58;
        return b;
      }),
    );
    expect(magic.code).toBe('FEATURE_SHARD_INVALID');
    expect(magic.message).toContain(join(tmp, 'magic.grft'));
    expect(magic.message).toContain('"GRFTFEAT", got "XRFTFEAT"');
    const version = await failure(
      damaged('version.grft', (b) => {
        b.writeUInt32LE(2, 8);
        return b;
      }),
    );
    expect(version.code).toBe('FEATURE_SHARD_INVALID');
    expect(version.message).toContain('expected format version 1, got 2');
    const cut = await failure(damaged('cut.grft', (b) => b.subarray(0, b.length - 10)));
    expect(cut.code).toBe('FEATURE_SHARD_INVALID');
    expect(cut.message).toMatch(/truncated: 30 rows of 4 features need \d+ bytes/);
    const header = await failure(
      damaged('header.grft', (b) => {
        b.writeUInt32LE(b.length, 12);
        return b;
      }),
    );
    expect(header.code).toBe('FEATURE_SHARD_INVALID');
    const flipped = await failure(
      damaged('flipped.grft', (b) => {
        b[b.length - 200] ^= 1;
        return b;
      }),
    );
    expect(flipped.code).toBe('CHECKSUM_MISMATCH');
    expect(flipped.message).toContain(join(tmp, 'flipped.grft'));
    const gone = await failure(fromFeatureShards([join(tmp, 'nope.grft')]));
    expect(gone.code).toBe('LOAD_FAILED');
    expect(gone.message).toContain('nope.grft');
    expect((await failure(fromFeatureShards([]))).code).toBe('INVALID_DATA');
  });

  it('shards that do not belong together, or a model with another base, are refused naming the files', async () => {
    const stream = await flowerStream(PER_CLASS);
    const missing = await failure(fromFeatureShards([s0]));
    expect(missing.code).toBe('FEATURE_SHARD_MISMATCH');
    expect(missing.message).toContain('missing shard 1');
    expect((await failure(fromFeatureShards([s0, s0, s1]))).code).toBe('FEATURE_SHARD_MISMATCH');
    const other = tinyModel(5, tinyBase({ images: 0 }, 4)); // another seed: other weights
    const otherBase = join(tmp, 'other-base.grft');
    await writeFeatureShard(other, stream, otherBase, { shard: 1, of: 2 });
    const bases = await failure(fromFeatureShards([s0, otherBase]));
    expect(bases.code).toBe('FEATURE_SHARD_MISMATCH');
    expect(bases.message).toContain(`${s0} and ${otherBase} do not join: base fingerprints differ`);
    const renamed = await fromImages([...stream.files], [...stream.labels], {
      stream: true,
      size: [16, 16],
      classNames: ['a', 'b', 'c', 'd', 'e'],
    });
    const otherClasses = join(tmp, 'other-classes.grft');
    await writeFeatureShard(tinyModel(5), renamed, otherClasses, { shard: 1, of: 2 });
    const classes = await failure(fromFeatureShards([s0, otherClasses]));
    expect(classes.code).toBe('FEATURE_SHARD_MISMATCH');
    expect(classes.message).toContain('class names differ');
    // the fit checks the model's base against the shards' and stays usable
    await other.fit(stream.take([0, 12, 24, 36, 48]), { epochs: 1 });
    const before = tf.memory().numTensors;
    const fit = await failure(other.fit(await fromFeatureShards([s0, s1])));
    expect(fit.code).toBe('FEATURE_SHARD_MISMATCH');
    expect(fit.message).toContain(s0);
    expect(tf.memory().numTensors).toBe(before);
    await other.fit(stream, { epochs: 1 });
    await other.dispose();
    const mlp = sequential({ inputShape: [4] }).dense(5, { activation: 'softmax' });
    expect((await failure(mlp.fit(await fromFeatureShards([s0, s1])))).code).toBe('STREAM_UNSUPPORTED');
    await mlp.dispose();
  });

  it('bad options and an abort write nothing', async () => {
    const stream = await flowerStream(PER_CLASS);
    const m = tinyModel(5);
    const path = join(tmp, 'never.grft');
    expect((await failure(writeFeatureShard(m, stream, path, { shard: 2, of: 2 }))).code).toBe('INVALID_OPTION');
    expect((await failure(writeFeatureShard(m, stream, path, { shard: 0, of: 0 }))).code).toBe('INVALID_OPTION');
    const ctrl = new AbortController();
    const onProgress = () => ctrl.abort();
    const aborted = await failure(
      writeFeatureShard(m, stream, path, { shard: 0, of: 1, signal: ctrl.signal, onProgress }),
    );
    expect(aborted.code).toBe('ABORTED');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
    await m.dispose();
  });
});
