/**
 * Decode workers of a streamed image source (issue 18): files read and decoded in Node worker threads give the
 * same batches, bit for bit, as decoding on the calling thread and as the in-memory reader; bad files halfway come
 * back as the same coded errors naming the file, nothing leaked; the workers end with the pass (no hung process).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromDirectory, fromImages, type ImageStream } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';

const FLOWERS = `${ASSETS}/flowers`;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every batch's pixels, concatenated, and the batch row starts. */
async function readAll(s: ImageStream, batch: number): Promise<{ pixels: Float32Array; starts: number[] }> {
  const parts: Float32Array[] = [];
  const starts: number[] = [];
  for await (const b of s.batches(batch)) {
    parts.push((await b.x.data()) as Float32Array);
    starts.push(b.start);
    b.x.dispose();
  }
  const pixels = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    pixels.set(p, at);
    at += p.length;
  }
  return { pixels, starts };
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
}

describe.skipIf(!HAVE_ASSETS)('stream decode workers', () => {
  let tmp: string;
  beforeAll(async () => {
    await useBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'graft-workers-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** `n` daisies in class folders a and b under tmp/name. */
  function folder(name: string, n: number): string {
    const root = join(tmp, name);
    const photos = readdirSync(join(FLOWERS, 'daisy')).sort().slice(0, n);
    photos.forEach((f, i) => {
      const c = i % 2 ? 'b' : 'a';
      mkdirSync(join(root, c), { recursive: true });
      copyFileSync(join(FLOWERS, 'daisy', f), join(root, c, f));
    });
    return root;
  }

  it('workers give the same batch tensors bit for bit as the calling thread and the in-memory reader', async () => {
    const inline = await fromDirectory(FLOWERS, { stream: true, size: [40, 32], workers: 0 });
    const rows = inline.shuffle(7).take(Array.from({ length: 37 }, (_, i) => i)).files;
    const picked = inline.take(rows.map((f) => inline.files.indexOf(f)));
    const before = tf.memory().numTensors;
    const one = await readAll(picked, 10);
    expect(one.starts).toEqual([0, 10, 20, 30]);
    for (const workers of [1, 2]) {
      const pooled = await fromImages([...picked.files], [...picked.labels], {
        stream: true,
        size: [40, 32],
        workers,
        classNames: [...picked.classNames],
      });
      const got = await readAll(pooled, 10);
      expect(got.starts).toEqual(one.starts);
      expect(sameBits(got.pixels, one.pixels)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    const memory = await fromImages([...picked.files], [...picked.labels], { size: [40, 32] });
    expect(sameBits((await memory.x.data()) as Float32Array, one.pixels)).toBe(true);
    memory.dispose();
  });

  it('a bad file halfway comes back from a worker as its coded error naming the file; nothing leaks', async () => {
    const root = folder('bad', 12);
    const broken = join(root, 'b', 'zz-broken.jpg');
    writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const notImage = join(root, 'b', 'zz-text.png');
    const before = tf.memory().numTensors;
    const s = await fromDirectory(root, { stream: true, size: [16, 16], workers: 2 });
    const seen: number[] = [];
    const err = await (async () => {
      for await (const b of s.batches(4)) {
        seen.push(b.start);
        b.x.dispose();
      }
    })().catch((e) => e);
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toContain(broken);
    expect(seen.length).toBeGreaterThan(0);
    unlinkSync(broken);
    writeFileSync(notImage, 'GIF89a not a png');
    const odd = await readAll(await fromDirectory(root, { stream: true, size: [16, 16], workers: 1 }), 4).catch(
      (e) => e,
    );
    expect(odd.code).toBe('UNSUPPORTED_IMAGE_FORMAT');
    unlinkSync(notImage);
    const listed = await fromDirectory(root, { stream: true, size: [16, 16], workers: 1 });
    const gone = listed.files[9];
    unlinkSync(gone);
    const lost = await readAll(listed, 4).catch((e) => e);
    expect(lost.code).toBe('LOAD_FAILED');
    expect(lost.message).toContain(gone);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a workers option that is not a non-negative integer (INVALID_OPTION)', async () => {
    for (const workers of [-1, 1.5, '2']) {
      const err = await fromDirectory(FLOWERS, { stream: true, workers: workers as number }).catch((e) => e);
      expect(err.code).toBe('INVALID_OPTION');
      expect(err.message).toContain('workers');
    }
  });

  it('workers end when a pass stops early or a fit aborts: the process exits on its own', () => {
    const root = folder('exit', 40); // two feature batches of 32: the abort lands between them
    const script = join(ROOT, 'tests/data/fixtures/stream-exit.ts');
    const r = spawnSync(process.execPath, ['--conditions=graft-source', '--import', 'tsx', script, root], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000, // a guard against a hung process, not a timing: a worker left running never exits
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('done ABORTED');
  });
});
