/**
 * Iterable sources (issue 18): `fromImages(items, { classNames })` over an iterable or async generator of
 * `{ image, label }` (bytes, Blob, path or 8-bit pixels), read once per pass and decoded batch by batch. The same
 * photos give the same head as in memory for the same seed; `shuffle(seed, { buffer })` follows tf.data's shuffle
 * buffer; a one-shot generator refuses a second pass; each bad item is a coded error naming it, nothing left behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromImages, type ImageItem, type ImageIterable } from '@graftjs/core';
import { decodeImage } from '@graftjs/core/decode';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';
import { solidPng } from '../helpers/png';
import { maxDiff, tinyModel, trainable } from '../helpers/stream-models';

const FLOWERS = `${ASSETS}/flowers`;
const SIZE: [number, number] = [16, 16];

/** `n` photos each of daisy and roses, alternating: paths and labels. */
function photos(n: number): { paths: string[]; labels: string[] } {
  const [a, b] = ['daisy', 'roses'].map((c) =>
    readdirSync(join(FLOWERS, c))
      .sort()
      .slice(0, n)
      .map((f) => join(FLOWERS, c, f)),
  );
  const paths = a.flatMap((p, i) => [p, b[i]]);
  return { paths, labels: paths.map((p) => (p.includes('/daisy/') ? 'daisy' : 'roses')) };
}

/** Item i as one of four kinds in turn: bytes, a Blob, a path, decoded 8-bit pixels. */
function item(path: string, label: string, i: number): ImageItem {
  const bytes = new Uint8Array(readFileSync(path));
  const image = [bytes, new Blob([bytes]), path, decodeImage(bytes)][i % 4];
  return { image, label };
}

/** Labels of a pass, in order (reading an iterable whose classes tell the items apart). */
async function order(s: ImageIterable, batch = 3): Promise<number[]> {
  const out: number[] = [];
  for await (const b of s.batches(batch)) {
    out.push(...b.labels);
    b.x.dispose();
  }
  return out;
}

/** `n` 2x2 pixel items, item i of class i. */
function numbered(n: number) {
  const classNames = Array.from({ length: n }, (_, i) => `c${i}`);
  const items = () =>
    classNames.map((_, i) => ({ image: { data: new Uint8Array(12).fill(i), width: 2, height: 2 }, label: i }));
  return { classNames, items };
}

describe.skipIf(!HAVE_ASSETS)('iterable sources of { image, label }', () => {
  it('an async generator of mixed items trains the same head as the same photos in memory; lazily, once per pass', async () => {
    await useBackend('cpu');
    const { paths, labels } = photos(8);
    let pulled = 0;
    async function* gen() {
      for (const [i, p] of paths.entries()) {
        pulled++;
        yield item(p, labels[i], i);
      }
    }
    const source = await fromImages(gen, { classNames: ['daisy', 'roses'], size: SIZE });
    expect(pulled).toBe(0);
    expect(source.sampleShape).toEqual([16, 16, 3]);
    const memory = await fromImages(paths, labels, { size: SIZE, classNames: ['daisy', 'roses'] });
    const [a, b] = [tinyModel(2), tinyModel(2)];
    await a.fit(source, { seed: 1, epochs: 2, validationSplit: 0.25 });
    expect(pulled).toBe(16);
    await b.fit(memory, { seed: 1, epochs: 2, validationSplit: 0.25 });
    expect(maxDiff(await trainable(a), await trainable(b))).toBe(0);
    expect(a.history.val_loss).toEqual(b.history.val_loss);
    const before = tf.memory().numTensors;
    // a function source is read again for predict, in source order
    expect(await a.predict(source)).toEqual(await b.predict(memory));
    expect(pulled).toBe(32);
    expect(tf.memory().numTensors).toBe(before);
    memory.dispose();
    await a.dispose();
    await b.dispose();
  });

  it('a generator object is read once: a second pass is refused (STREAM_UNSUPPORTED), not silently empty', async () => {
    await useBackend('cpu');
    const { paths, labels } = photos(3);
    async function* gen() {
      for (const [i, p] of paths.entries()) yield item(p, labels[i], i);
    }
    const once = await fromImages(gen(), { classNames: ['daisy', 'roses'], size: SIZE });
    const m = tinyModel(2);
    await m.fit(once, { epochs: 1 });
    const again = await m.predict(once).catch((e) => e);
    expect(again.code).toBe('STREAM_UNSUPPORTED');
    expect(again.message).toContain('() => gen()');
    expect((await m.evaluate(once as never).catch((e) => e)).code).toBe('STREAM_UNSUPPORTED');
    await m.dispose();
  });

  it('shuffle(seed, { buffer }) draws from a buffer as tf.data: seeded, a permutation, never ahead of the buffer', async () => {
    const { classNames, items } = numbered(30);
    const s = await fromImages(items, { classNames, size: [2, 2] });
    const identity = Array.from({ length: 30 }, (_, i) => i);
    expect(await order(s)).toEqual(identity);
    expect(await order(s.shuffle(4, { buffer: 1 }))).toEqual(identity);
    for (const buffer of [2, 5, 30, 100]) {
      const got = await order(s.shuffle(4, { buffer }));
      expect([...got].sort((x, y) => x - y)).toEqual(identity);
      expect(await order(s.shuffle(4, { buffer }), 7)).toEqual(got);
      expect(got).not.toEqual(identity);
      // output k was drawn from the first k + buffer items: a buffer cannot emit what it has not read yet
      got.forEach((src, k) => {
        expect(src).toBeLessThanOrEqual(k + buffer - 1);
      });
    }
    expect(await order(s.shuffle(5, { buffer: 30 }))).not.toEqual(await order(s.shuffle(4, { buffer: 30 })));
    expect(() => s.shuffle(1, {} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('bad items halfway: a coded error naming the item, nothing cached or leaked; bad options refused up front', async () => {
    await useBackend('cpu');
    const { paths, labels } = photos(20);
    const good = paths.map((p, i) => item(p, labels[i], i));
    const m = tinyModel(2);
    await m.fit(await fromImages(() => good.slice(0, 4), { classNames: ['daisy', 'roses'], size: SIZE }), {
      epochs: 1,
    });
    const before = tf.memory().numTensors;
    const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]);
    const cases: [unknown, string, string][] = [
      // a readable header, then the data stops: fails in a worker thread's decoder
      [{ image: readFileSync(paths[0]).subarray(0, 3000), label: 'daisy' }, 'INVALID_IMAGE', 'item 35'],
      [{ image: broken, label: 'daisy' }, 'INVALID_IMAGE', 'item 35'],
      [{ image: solidPng(4, 4, [1, 2, 3]), label: 'tulips' }, 'UNKNOWN_CLASS', 'item 35'],
      [{ image: solidPng(4, 4, [1, 2, 3]), label: 2 }, 'LABEL_OUT_OF_RANGE', 'item 35'],
      [{ image: join(FLOWERS, 'gone.jpg'), label: 0 }, 'LOAD_FAILED', 'gone.jpg'],
      [{ image: { data: new Uint8Array(5), width: 2, height: 2 }, label: 0 }, 'INVALID_IMAGE', 'item 35'],
      [{ picture: 'x.jpg' }, 'INVALID_DATA', 'item 35'],
    ];
    for (const [bad, code, name] of cases) {
      // item 35 is in the second batch of 32: the first batch's features were computed, then freed
      const items = [...good.slice(0, 35), bad, ...good.slice(35)];
      // the first case decodes in the worker threads, the others on the calling thread (the checks run there)
      const workers = bad === cases[0][0] ? undefined : 0;
      const err = await m
        .fit(await fromImages(() => items as ImageItem[], { classNames: ['daisy', 'roses'], size: SIZE, workers }))
        .catch((e) => e);
      expect(err.code, JSON.stringify(bad).slice(0, 60)).toBe(code);
      expect(err.message).toContain(name);
      expect(tf.memory().numTensors).toBe(before);
    }
    async function* throws() {
      yield* good.slice(0, 33);
      throw new Error('disk on fire');
    }
    const thrown = await m
      .fit(await fromImages(throws, { classNames: ['daisy', 'roses'], size: SIZE, workers: 0 }))
      .catch((e) => e);
    expect(thrown.code).toBe('LOAD_FAILED');
    expect(thrown.message).toContain('item 33: disk on fire');
    expect(tf.memory().numTensors).toBe(before);
    const ctrl = new AbortController();
    ctrl.abort(); // checked between batches: the pass stops after the first
    const stopped = await m
      .fit(await fromImages(() => good, { classNames: ['daisy', 'roses'], size: SIZE, workers: 0 }), {
        signal: ctrl.signal,
      })
      .catch((e) => e);
    expect(stopped.code).toBe('ABORTED');
    expect(stopped.details).toEqual({ done: 32 });
    expect(tf.memory().numTensors).toBe(before);
    // the decode pool got copies: the caller's bytes are intact after every pass
    expect((good[0].image as Uint8Array).byteLength).toBe(readFileSync(paths[0]).byteLength);
    const noClasses = await Promise.resolve()
      .then(() => fromImages(() => good, {} as never))
      .catch((e) => e);
    expect(noClasses.code).toBe('INVALID_OPTION');
    await m.dispose();
  });
});
