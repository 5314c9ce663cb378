import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFolder } from '../../src/data/images';
import { encodeJpeg, encodePng, expectGraftError, useCpu } from './fixtures';

const root = mkdtempSync(path.join(tmpdir(), 'graft-img-folder-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A solid w x h image of one grey level, so each file's pixels say which file it was. */
function solid(level: number, w = 3, h = 2): Uint8Array {
  return new Uint8Array(w * h * 3).fill(level);
}

function write(rel: string, bytes: Uint8Array | string): void {
  const full = path.join(root, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, bytes);
}

// Class folder names chosen so that code-point order differs from natural and locale order.
const ds = 'ds';
write(`${ds}/b_cats/2.png`, encodePng(3, 2, solid(20)));
write(`${ds}/b_cats/1.png`, encodePng(5, 4, solid(10, 5, 4)));
write(`${ds}/b_cats/LICENSE.txt`, 'CC-BY');
write(`${ds}/b_cats/.DS_Store`, 'junk');
write(`${ds}/B_dogs/x.PNG`, encodePng(3, 2, solid(30)));
write(`${ds}/10/a.jpg`, encodeJpeg(8, 8, solid(40, 8, 8), 100));
write(`${ds}/9/nested/deep.png`, encodePng(3, 2, solid(50)));
write(`${ds}/9/a.jpeg`, encodeJpeg(8, 8, solid(60, 8, 8), 100));
write(`${ds}/readme.png`, encodePng(3, 2, solid(99))); // at the root: not in a class, ignored
write(`${ds}/.hidden/z.png`, encodePng(3, 2, solid(99))); // hidden folder: not a class

describe('readImageFolder', () => {
  it('reads one class per sub-folder, sorted by code point, files sorted within a class', async () => {
    const before = tf.memory().numTensors;
    const out = await readImageFolder(path.join(root, ds), { size: [2, 3] });
    expect(out.classNames).toEqual(['10', '9', 'B_dogs', 'b_cats']);
    const rel = out.files.map((f) => path.relative(path.join(root, ds), f).split(path.sep).join('/'));
    expect(rel).toEqual(['10/a.jpg', '9/a.jpeg', '9/nested/deep.png', 'B_dogs/x.PNG', 'b_cats/1.png', 'b_cats/2.png']);
    expect(out.labels).toEqual([0, 1, 1, 2, 3, 3]);
    expect(out.x.shape).toEqual([6, 2, 3, 3]);
    // Mean level of each image identifies the file: rows of x follow files.
    expect(tf.memory().numTensors).toBe(before + 1);
    const meanT = tf.mean(out.x, [1, 2, 3]);
    const means = Array.from(await meanT.data());
    const want = [40, 60, 50, 30, 10, 20];
    for (let i = 0; i < want.length; i++) expect(Math.abs(means[i] - want[i])).toBeLessThan(1.5);
    tf.dispose([meanT, out.x]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads only the given extensions (with or without a dot)', async () => {
    const out = await readImageFolder(path.join(root, ds), { size: [2, 2], extensions: ['png'] });
    expect(out.files.map((f) => path.basename(f))).toEqual(['deep.png', 'x.PNG', '1.png', '2.png']);
    expect(out.labels).toEqual([1, 2, 3, 3]);
    // Class '10' holds no PNG but keeps its index, so labels stay comparable across calls.
    expect(out.classNames).toEqual(['10', '9', 'B_dogs', 'b_cats']);
    out.x.dispose();
  });

  it('LOAD_FAILED for a missing path or a file instead of a folder', async () => {
    const missing = path.join(root, 'nope');
    expect((await expectGraftError(() => readImageFolder(missing, { size: [2, 2] }), 'LOAD_FAILED')).message).toContain(
      missing,
    );
    await expectGraftError(() => readImageFolder(path.join(root, ds, 'readme.png'), { size: [2, 2] }), 'LOAD_FAILED');
  });

  it('EMPTY_DATA for an empty folder, a folder without class sub-folders, or classes without images', async () => {
    mkdirSync(path.join(root, 'empty'));
    await expectGraftError(() => readImageFolder(path.join(root, 'empty'), { size: [2, 2] }), 'EMPTY_DATA');
    write('flat/a.png', encodePng(3, 2, solid(1)));
    const flat = await expectGraftError(() => readImageFolder(path.join(root, 'flat'), { size: [2, 2] }), 'EMPTY_DATA');
    expect(flat.message).toContain('sub-folder');
    write('noimg/cats/LICENSE.txt', 'x');
    mkdirSync(path.join(root, 'noimg/dogs'));
    const none = await expectGraftError(
      () => readImageFolder(path.join(root, 'noimg'), { size: [2, 2] }),
      'EMPTY_DATA',
    );
    expect(none.message).toContain('cats, dogs');
  });

  it('a corrupt image fails with INVALID_IMAGE naming the file, leaking nothing', async () => {
    const good = encodePng(3, 2, solid(5));
    write('corrupt/a/ok.png', good);
    write('corrupt/a/bad.png', good.subarray(0, good.length - 20));
    const before = tf.memory().numTensors;
    const err = await expectGraftError(
      () => readImageFolder(path.join(root, 'corrupt'), { size: [2, 2] }),
      'INVALID_IMAGE',
    );
    expect(err.message).toContain('bad.png');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('INVALID_OPTION for a missing size or bad extensions; INVALID_DATA for a non-string path', async () => {
    const dir = path.join(root, ds);
    await expectGraftError(() => readImageFolder(dir, {} as never), 'INVALID_OPTION');
    await expectGraftError(() => readImageFolder(dir, undefined as never), 'INVALID_OPTION');
    await expectGraftError(() => readImageFolder(dir, { size: [2, 2], extensions: [] }), 'INVALID_OPTION');
    await expectGraftError(() => readImageFolder(dir, { size: [2, 2], extensions: ['.'] }), 'INVALID_OPTION');
    await expectGraftError(() => readImageFolder(42 as never, { size: [2, 2] }), 'INVALID_DATA');
  });
});
