import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, fromDirectory, loadModel, toImageTensor } from '@graftjs/core';
import { decodeImage } from '@graftjs/core/decode';
import '@graftjs/backend-onnx';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';
import { BOUNDS_CASES, type BoundsContext } from './bounds-cases';
import { writeImageFixtures, writeModelFixtures } from './bounds-files';
import { outcome, snapshot, tinyClassifier } from './fixtures';
import { blackPng } from './image-files';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

// Resource bounds and input checks (issue 14): each case must throw its code before allocating what the input asks
// for, and leave the model, the dataset and the live tensor count as they were.
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'graft-bounds-'));
  mkdirSync(join(root, 'fixtures'));
  writeImageFixtures(join(root, 'fixtures', 'images'), join(root, 'outside'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe.each(RELIABILITY_BACKENDS)('bounds and input checks on %s', (backend) => {
  const ctx = {} as BoundsContext;

  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
    const { x, y } = blobs(24);
    Object.assign(ctx, {
      backend,
      x,
      y,
      dir: join(root, 'fixtures'),
      data: Dataset.from(x, y),
      model: tinyClassifier(),
    });
    await ctx.model.fit(ctx.data, { epochs: 2, batchSize: 8, seed: 1 });
    const models = join(ctx.dir, 'models');
    if (!existsSync(models)) {
      await ctx.model.save(join(models, 'valid'));
      writeModelFixtures(models, join(models, 'valid'), join(root, 'outside-models'));
    }
  });

  afterAll(async () => {
    await ctx.model?.dispose();
    ctx.data?.dispose();
    releaseBackend(backend);
  });

  for (const c of BOUNDS_CASES) {
    it(`${c.area}: ${c.name} -> ${c.code}, nothing changed`, async () => {
      const before = await snapshot(ctx.model, ctx.data);
      expect(await outcome(() => c.run(ctx))).toBe(c.code);
      const after = await snapshot(ctx.model, ctx.data);
      expect(after.numTensors, 'live tensors').toBe(before.numTensors);
      expect(after.history, 'history').toBe(before.history);
      expect(after.weights, 'weights').toEqual(before.weights);
      expect(after.x, 'dataset x').toEqual(before.x);
      expect(after.y, 'dataset y').toEqual(before.y);
    });
  }

  it('predict on samples of the wrong width, as every input kind, 5 times each: no tensor left', async () => {
    const inputs: unknown[] = [
      [1, 2, 3],
      [[1, 2, 3]],
      Float32Array.from([1, 2, 3]),
      [Float32Array.from([1, 2, 3, 4, 5])],
      { data: [1, 2, 3], shape: [1, 3] },
    ];
    const wrong = Dataset.from([[1, 2, 3]]);
    const t = tf.tensor2d([[1, 2, 3]]);
    try {
      const n = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        for (const x of [...inputs, wrong, t])
          expect(await outcome(() => ctx.model.predict(x as never))).toBe('SHAPE_MISMATCH');
      }
      expect(tf.memory().numTensors).toBe(n);
    } finally {
      wrong.dispose();
      t.dispose();
    }
  });

  it('what stays inside a bound still works: a model loads, indices take, symlinks inside the root are read', async () => {
    const loaded = await loadModel(join(ctx.dir, 'models', 'valid'), { maxBytes: 10_000 });
    expect(await loaded.predict(ctx.x.slice(0, 2))).toEqual(await ctx.model.predict(ctx.x.slice(0, 2)));
    await loaded.dispose();
    const part = ctx.data.take([3, 0, 3]);
    expect(part.size).toBe(3);
    expect(Array.from(await part.x.data()).slice(0, 4)).toEqual(ctx.x[3].map(Math.fround));
    part.dispose();
    const folder = await fromDirectory(join(ctx.dir, 'images', 'inside'), { size: [8, 8] });
    expect(folder.classNames).toEqual(['cats', 'dogs']);
    expect(folder.size).toBe(2);
    folder.dispose();
  });
});

describe('pixel bounds at the edge', () => {
  beforeAll(() => useBackend('cpu'));

  it('an image of exactly maxPixels decodes; one pixel more is refused from the header', () => {
    const png = blackPng(40, 25);
    expect(decodeImage(png, { maxPixels: 1000 }).width).toBe(40);
    expect(() => decodeImage(blackPng(41, 25), { maxPixels: 1000 })).toThrow(/IMAGE_TOO_LARGE/);
    expect(() => decodeImage(png.slice(0, 20))).toThrow(/INVALID_IMAGE/);
  });

  // the header is read by graft, the pixels by fast-png / jpeg-js: the two must agree on every real photo
  it.skipIf(!HAVE_ASSETS)('on every real photo in the assets, the bound is the decoded size exactly', () => {
    const images = readdirSync(ASSETS, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(jpe?g|png)$/i.test(f));
    expect(images.length).toBeGreaterThan(300);
    for (const f of images) {
      const bytes = new Uint8Array(readFileSync(join(ASSETS, f)));
      const { width, height } = decodeImage(bytes);
      expect(decodeImage(bytes, { maxPixels: width * height }).width, f).toBe(width);
      expect(() => decodeImage(bytes, { maxPixels: width * height - 1 }), f).toThrow(/IMAGE_TOO_LARGE/);
    }
  });

  it('a size of exactly maxPixels resizes', async () => {
    const t = await toImageTensor(blackPng(8, 8), { size: [50, 20], maxPixels: 1000 });
    expect(t.shape).toEqual([50, 20, 3]);
    t.dispose();
  });
});

describe('loading from a URL reads no more than the manifest declares', () => {
  beforeAll(() => useBackend('cpu'));

  it('an endless weights body behind a small manifest: FILE_TOO_LARGE after at most one chunk past the bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graft-url-'));
    const model = tinyClassifier();
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
    try {
      model.net;
      await model.save(join(dir, 'm'));
      const json = readFileSync(join(dir, 'm', 'model.json'));
      vi.stubGlobal('fetch', async (url: string) =>
        String(url).endsWith('model.json') ? new Response(json) : new Response(endless()),
      );
      const n = tf.memory().numTensors;
      expect(await outcome(() => loadModel('https://example.invalid/m/model.json'))).toBe('FILE_TOO_LARGE');
      expect(tf.memory().numTensors).toBe(n);
      expect(pulled).toBeLessThanOrEqual(4 * chunk.byteLength); // the stream was cancelled, not drained
    } finally {
      vi.unstubAllGlobals();
      await model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('save to a missing folder', () => {
  beforeAll(() => useBackend('cpu'));

  it("save('missing/x.onnx') -> SAVE_FAILED and leaves no temp file; a folder named x.onnx too", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graft-save-'));
    const model = tinyClassifier();
    try {
      model.net;
      expect(await outcome(() => model.save(join(dir, 'missing', 'x.onnx')))).toBe('SAVE_FAILED');
      mkdirSync(join(dir, 'taken.onnx'));
      expect(await outcome(() => model.save(join(dir, 'taken.onnx')))).toBe('SAVE_FAILED');
      expect(readdirSync(dir, { recursive: true })).toEqual(['taken.onnx']);
    } finally {
      await model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
