/**
 * Streamed image sources (issue 18, the core slice): `fromDirectory(dir, { stream: true })` and
 * `fromImages(paths, labels, { stream: true })` list the files up front and decode batch by batch into one feature
 * pass. A streamed and an in-memory dataset of the same photos train the same head for the same seed; an abort or
 * a bad file halfway leaves nothing cached and no tensor behind; a label outside the classes names its file.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromDirectory, fromImages, type ImageStream, sequential, transfer } from '@graftjs/core';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { solidPng } from '../helpers/png';
import { maxDiff, tinyModel, trainable } from '../helpers/stream-models';

const FLOWERS = `${ASSETS}/flowers`;

/** `perClass` photos of each flower class, as a stream and as the same files in memory. */
async function subset(perClass: number, size: [number, number]) {
  const all = await fromDirectory(FLOWERS, { stream: true, size });
  const rows: number[] = [];
  const seen = new Map<number, number>();
  all.labels.forEach((c, i) => {
    if ((seen.get(c) ?? 0) < perClass) rows.push(i);
    seen.set(c, (seen.get(c) ?? 0) + 1);
  });
  const stream = all.take(rows);
  const memory = await fromImages([...stream.files], [...stream.labels], {
    size,
    classNames: [...stream.classNames],
  });
  return { stream, memory };
}

describe.skipIf(!HAVE_ASSETS)('streamed image sources', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'graft-stream-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** A class folder layout in `tmp/name` with `n` copied flower photos per class (a, b). */
  function folder(name: string, n: number): string {
    const root = join(tmp, name);
    const photos = readdirSync(join(FLOWERS, 'daisy'))
      .sort()
      .slice(0, 2 * n);
    for (const [c, files] of [
      ['a', photos.slice(0, n)],
      ['b', photos.slice(n)],
    ] as const) {
      mkdirSync(join(root, c), { recursive: true });
      for (const f of files) copyFileSync(join(FLOWERS, 'daisy', f), join(root, c, f));
    }
    return root;
  }

  it('lists like fromDirectory: sorted classes, labels, pinned classNames; split and take decode nothing', async () => {
    const s = await fromDirectory(FLOWERS, { stream: true });
    expect(s.classNames).toEqual(['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']);
    expect(s.size).toBe(300);
    expect(s.sampleShape).toEqual([224, 224, 3]);
    const pinned = await fromDirectory(FLOWERS, {
      stream: true,
      classNames: ['tulips', 'sunflowers', 'roses', 'dandelion', 'daisy'],
    });
    // files follow the pinned class order; a daisy is class 4 now
    expect(pinned.files[0]).toContain('tulips');
    expect(pinned.labels[pinned.files.findIndex((f) => f.includes('daisy'))]).toBe(4);
    const before = tf.memory().numTensors;
    const [a, b] = await s.split(0.2, { seed: 4 });
    expect(a.size + b.size).toBe(300);
    expect(new Set([...a.files, ...b.files]).size).toBe(300);
    expect(b.labels.filter((l) => l === 0).length).toBe(12);
    expect(s.shuffle(1).files).not.toEqual(s.files);
    expect(tf.memory().numTensors).toBe(before);
  });

  // cpu runs MobileNet slowly: fewer photos there, so each case stays well under a minute
  const PER_CLASS: Record<string, number> = { cpu: 3, wasm: 8 };
  for (const backend of TRAINING_BACKENDS) {
    it(`streamed and in-memory photos train the same MobileNet head on ${backend} (solved and by gradient)`, async () => {
      await useBackend(backend);
      const { stream, memory } = await subset(PER_CLASS[backend] ?? 3, [224, 224]);
      const [trainS, testS] = await stream.split(1 / 3, { seed: 2 });
      const [trainM, testM] = await memory.split(1 / 3, { seed: 2 });
      memory.dispose();
      expect(testS.files.length).toBe(testM.size);
      const from = `${ASSETS}/mobilenet_v1_0.25_224/layers`;
      const base = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from });
      const a = await transfer(base).freeze().addHead(5).fit(trainS, { seed: 1 });
      const b = await transfer(base).freeze().addHead(5).fit(trainM, { seed: 1 });
      expect(a.lastFit?.solver).toBe('lbfgs');
      expect(maxDiff(await trainable(a), await trainable(b))).toBeLessThan(1e-4);
      const pa = await a.predict(testS);
      const pb = await b.predict(testM);
      expect(pa.map((p) => p.label)).toEqual(pb.map((p) => p.label));
      const ea = await a.evaluate(testS);
      const eb = await b.evaluate(testM);
      expect(ea.accuracy).toBe(eb.accuracy);
      expect(Math.abs(ea.loss - eb.loss)).toBeLessThan(1e-4);
      await a.fit(trainS, { epochs: 2, seed: 3 });
      await b.fit(trainM, { epochs: 2, seed: 3 });
      expect(maxDiff(await trainable(a), await trainable(b))).toBeLessThan(1e-4);
      trainM.dispose();
      testM.dispose();
      await a.dispose();
      await b.dispose();
    }, 120_000);
  }

  it('an abort during the feature pass throws ABORTED, leaves no tensor; the next fit runs (resuming: feature-store.test.ts)', async () => {
    await useBackend('cpu');
    const { stream, memory } = await subset(8, [16, 16]);
    memory.dispose();
    const m = tinyModel(5);
    await m.fit(stream.take([0, 8, 16, 24, 32]), { epochs: 1 }); // builds the head: what the model owns
    const before = tf.memory().numTensors;
    const ctrl = new AbortController();
    const phases: string[] = [];
    const onProgress = (e: { phase?: string }) => {
      phases.push(e.phase ?? '');
      ctrl.abort();
    };
    const err = await m.fit(stream, { epochs: 1, signal: ctrl.signal, onProgress }).catch((e) => e);
    expect(err.code).toBe('ABORTED');
    expect(err.details).toEqual({ done: 32, total: 40 });
    expect(phases).toEqual(['features']);
    expect(tf.memory().numTensors).toBe(before);
    await m.fit(stream, { epochs: 1 });
    expect(tf.memory().numTensors).toBe(before);
    await m.dispose();
  });

  it('bad input halfway: an undecodable or vanished file names the file, nothing is cached or leaked', async () => {
    await useBackend('cpu');
    const root = folder('bad', 20);
    const m = tinyModel(2);
    await m.fit(await fromDirectory(root, { stream: true, size: [16, 16] }), { epochs: 1 });
    const before = tf.memory().numTensors;
    const broken = join(root, 'b', 'zz-broken.jpg');
    writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const err = await m.fit(await fromDirectory(root, { stream: true, size: [16, 16] })).catch((e) => e);
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toContain(broken);
    expect(tf.memory().numTensors).toBe(before);
    unlinkSync(broken);
    const listed = await fromDirectory(root, { stream: true, size: [16, 16] });
    const gone = listed.files[35];
    unlinkSync(gone);
    const lost = await m.fit(listed).catch((e) => e);
    expect(lost.code).toBe('LOAD_FAILED');
    expect(lost.message).toContain(gone);
    expect(tf.memory().numTensors).toBe(before);
    await m.dispose();
  });

  it('an image of another size is resized; a label outside the classes is refused naming its file', async () => {
    await useBackend('cpu');
    const root = folder('sizes', 3);
    const odd = join(root, 'a', 'odd.png');
    writeFileSync(odd, solidPng(40, 25, [200, 10, 10]));
    const s = await fromDirectory(root, { stream: true, size: [16, 16] });
    const m = tinyModel(2);
    await m.fit(s, { epochs: 1 });
    expect((await m.predict(s)).length).toBe(7);
    const before = tf.memory().numTensors;
    const scores = await m.evaluate(s);
    expect(Object.keys(scores).sort()).toEqual(['accuracy', 'loss']);
    expect(tf.memory().numTensors).toBe(before);
    await m.dispose();
    const paths = [...s.files];
    const out = await Promise.resolve()
      .then(() => fromImages(paths.slice(0, 3), [0, 1, 2], { stream: true, classNames: ['a', 'b'] }))
      .catch((e) => e);
    expect(out.code).toBe('LABEL_OUT_OF_RANGE');
    expect(out.message).toContain(paths[2]);
    const named = await Promise.resolve()
      .then(() => fromImages(paths.slice(0, 2), ['a', 'c'], { stream: true, classNames: ['a', 'b'] }))
      .catch((e) => e);
    expect(named.code).toBe('UNKNOWN_CLASS');
    expect(named.message).toContain(paths[1]);
  });

  it('a model that would train on pixels refuses a stream (STREAM_UNSUPPORTED)', async () => {
    await useBackend('cpu');
    const root = folder('refuse', 2);
    const s: ImageStream = await fromDirectory(root, { stream: true, size: [16, 16] });
    const mlp = sequential({ inputShape: [16, 16, 3] })
      .flatten()
      .dense(2, { activation: 'softmax' });
    expect((await mlp.fit(s).catch((e) => e)).code).toBe('STREAM_UNSUPPORTED');
    const m = tinyModel(2);
    expect((await m.fit(s, { featureCache: false }).catch((e) => e)).code).toBe('STREAM_UNSUPPORTED');
    await m.dispose();
    await mlp.dispose();
  });
});
