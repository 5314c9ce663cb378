/**
 * Streams over other lazy sources (issue 18): URLs fetched from a loopback server and Blob/File lists, listed up
 * front with their labels, decoded batch by batch. A URL stream and a Blob list train the same head as the same
 * photos in memory for the same seed; each bad item (a URL that fails halfway, undecodable bytes, too many bytes,
 * another format, a label outside the classes) is a coded error naming the item, with nothing cached or leaked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromImages } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFolder } from '../consumers/static-server';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';
import { solidPng } from '../helpers/png';
import { maxDiff, tinyModel, trainable } from '../helpers/stream-models';

const FLOWERS = `${ASSETS}/flowers`;
const SIZE: [number, number] = [16, 16];
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const BROKEN_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]);
const TRUNCATED = HAVE_ASSETS
  ? readFileSync(`${FLOWERS}/daisy/100080576_f52e8ee070_n.jpg`).subarray(0, 3000)
  : BROKEN_JPEG;

/** The first `n` photos of two flower classes: relative paths and class names. */
function photos(n: number): { rel: string[]; labels: string[] } {
  const rel: string[] = [];
  const labels: string[] = [];
  for (const c of ['daisy', 'roses']) {
    for (const f of readdirSync(join(FLOWERS, c)).sort().slice(0, n)) {
      rel.push(`${c}/${f}`);
      labels.push(c);
    }
  }
  return { rel, labels };
}

describe.skipIf(!HAVE_ASSETS)('streams over URLs and Blobs', () => {
  let server: Awaited<ReturnType<typeof serveFolder>>;
  beforeAll(async () => {
    server = await serveFolder(FLOWERS, {}, [
      (req, res) => req.url === '/broken.jpg' && (res.writeHead(200).end(BROKEN_JPEG), true),
      (req, res) => req.url === '/anim.gif' && (res.writeHead(200).end(GIF), true),
      (req, res) => req.url === '/fails.jpg' && (res.writeHead(500).end('boom'), true),
      // a readable header, then the data stops: the decoder (in a worker thread) fails
      (req, res) => req.url === '/truncated.jpg' && (res.writeHead(200).end(TRUNCATED), true),
    ]);
  });
  afterAll(() => server?.close());

  it('a URL stream and a File list train the same head as the same photos in memory (same seed)', async () => {
    await useBackend('cpu');
    const { rel, labels } = photos(6);
    const urls = rel.map((r) => `${server.url}${r}`);
    const files = rel.map((r) => new File([readFileSync(join(FLOWERS, r))], r.split('/')[1]));
    const byUrl = await fromImages(urls, labels, { stream: true, size: SIZE });
    const byFile = await fromImages(files, labels, { stream: true, size: SIZE });
    const memory = await fromImages(
      rel.map((r) => join(FLOWERS, r)),
      labels,
      { size: SIZE },
    );
    expect(byUrl.classNames).toEqual(['daisy', 'roses']);
    expect(byFile.files[0]).toBe(`images[0] ${rel[0].split('/')[1]}`);
    const inline = await fromImages(urls, labels, { stream: true, size: SIZE, workers: 0 });
    const [a, b, c, d] = [tinyModel(2), tinyModel(2), tinyModel(2), tinyModel(2)];
    await a.fit(byUrl, { seed: 1, epochs: 2 });
    await b.fit(byFile, { seed: 1, epochs: 2 });
    await c.fit(memory, { seed: 1, epochs: 2 });
    await d.fit(inline, { seed: 1, epochs: 2 });
    // Node decodes every source with the same JavaScript decoders (worker threads or the calling thread): the
    // pixels, so the heads, are the same
    expect(maxDiff(await trainable(a), await trainable(c))).toBe(0);
    expect(maxDiff(await trainable(b), await trainable(c))).toBe(0);
    expect(maxDiff(await trainable(d), await trainable(c))).toBe(0);
    const before = tf.memory().numTensors;
    const shuffled = memory.shuffle(3);
    const pa = await a.predict(byUrl.shuffle(3));
    const pc = await c.predict(shuffled);
    shuffled.dispose();
    expect(pa).toEqual(pc);
    expect(await a.evaluate(byFile)).toEqual(await c.evaluate(memory));
    expect(tf.memory().numTensors).toBe(before);
    memory.dispose();
    for (const m of [a, b, c, d]) await m.dispose();
  });

  it('a URL that fails halfway, broken bytes, another format or too many bytes: a coded error naming it, nothing left', async () => {
    await useBackend('cpu');
    const { rel, labels } = photos(20);
    const urls = rel.map((r) => `${server.url}${r}`);
    const m = tinyModel(2);
    await m.fit(await fromImages(urls.slice(0, 4), labels.slice(0, 4), { stream: true, size: SIZE }), { epochs: 1 });
    const before = tf.memory().numTensors;
    const cases: [string, string][] = [
      [`${server.url}fails.jpg`, 'LOAD_FAILED'],
      [`${server.url}daisy/gone.jpg`, 'LOAD_FAILED'],
      [`${server.url}broken.jpg`, 'INVALID_IMAGE'],
      [`${server.url}truncated.jpg`, 'INVALID_IMAGE'],
      [`${server.url}anim.gif`, 'UNSUPPORTED_IMAGE_FORMAT'],
    ];
    for (const [bad, code] of cases) {
      // the bad item is in the second batch of 32: the first batch's features were computed, then freed
      const list = [...urls.slice(0, 35), bad, ...urls.slice(35)];
      // fetching and checks run on the calling thread; only the truncated JPEG needs the pool's decoder to fail
      const workers = bad.endsWith('truncated.jpg') ? undefined : 0;
      const s = await fromImages(list, [...labels.slice(0, 35), 'daisy', ...labels.slice(35)], {
        stream: true,
        size: SIZE,
        workers,
      });
      const err = await m.fit(s).catch((e) => e);
      expect(err.code, bad).toBe(code);
      expect(err.message).toContain(bad);
      expect(tf.memory().numTensors).toBe(before);
    }
    const big = await fromImages(urls.slice(0, 2), labels.slice(0, 2), { stream: true, size: SIZE, maxBytes: 1000 });
    const tooBig = await m.predict(big).catch((e) => e);
    expect(tooBig.code).toBe('FILE_TOO_LARGE');
    expect(tooBig.message).toContain(urls[0]);
    expect(tf.memory().numTensors).toBe(before);
    await m.dispose();
  });

  it('Blob lists: a broken or oversized Blob names its index and file name; labels are checked before any fetch', async () => {
    await useBackend('cpu');
    const { rel, labels } = photos(2);
    const files = rel.map((r) => new File([readFileSync(join(FLOWERS, r))], r.split('/')[1]));
    const broken = [...files.slice(0, 3), new File([BROKEN_JPEG], 'x.jpg')];
    const m = tinyModel(2);
    const err = await m.fit(await fromImages(broken, labels, { stream: true, size: SIZE })).catch((e) => e);
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toContain('images[3] x.jpg');
    const small = await fromImages([new Blob([files[0]]), ...files.slice(1)], labels, {
      stream: true,
      size: SIZE,
      maxBytes: 2000,
    });
    const over = await m.predict(small).catch((e) => e);
    expect(over.code).toBe('FILE_TOO_LARGE');
    expect(over.message).toContain('images[0]');
    // the header's 40x25 is checked against maxPixels before decoding
    const wide = await fromImages([new File([new Uint8Array(solidPng(40, 25, [9, 9, 9]))], 'wide.png')], [0], {
      stream: true,
      size: SIZE,
      classNames: ['a'],
      maxPixels: 999,
    });
    const tooWide = await m.predict(wide).catch((e) => e);
    expect(tooWide.code).toBe('IMAGE_TOO_LARGE');
    expect(tooWide.message).toContain('images[0] wide.png');
    const asked = server.requests();
    const urls = rel.map((r) => `${server.url}${r}`);
    const out = await Promise.resolve()
      .then(() => fromImages(urls, [0, 1, 2, 1], { stream: true, classNames: ['daisy', 'roses'] }))
      .catch((e) => e);
    expect(out.code).toBe('LABEL_OUT_OF_RANGE');
    expect(out.message).toContain(urls[2]);
    expect(server.requests()).toBe(asked);
    const odd = await Promise.resolve()
      .then(() => fromImages([urls[0], 42 as unknown as string], [0, 1], { stream: true, classNames: ['a', 'b'] }))
      .catch((e) => e);
    expect(odd.code).toBe('INVALID_DATA');
    expect(odd.message).toContain('images[1]');
    await m.dispose();
  });
});
