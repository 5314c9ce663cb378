import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, Dataset, isGraftError, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { pngFile } from '../helpers/png';

/** The network's output for `x` (a [n, ...] batch), as nested arrays. */
async function run(model: { net: { predict(x: tf.Tensor): unknown } }, x: number[][][][]): Promise<number[][][][]> {
  const t = tf.tensor(x);
  const y = model.net.predict(t) as tf.Tensor;
  const out = (await y.array()) as number[][][][];
  t.dispose();
  y.dispose();
  return out;
}

/** A [h, w, 1] image whose pixel (r, c) is `f(r, c)`. */
const image = (h: number, w: number, f: (r: number, c: number) => number) =>
  Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => [f(r, c)]));

/** A PNG whose pixel (r, c) is (r * 30 + c, 200 - c * 20, (r + c) * 10). */
function gradientPng(size: number): { png: Buffer; pixels: number[][][] } {
  const pixels = Array.from({ length: size }, (_, r) =>
    Array.from({ length: size }, (_, c) => [r * 30 + c, 200 - c * 20, (r + c) * 10]),
  );
  const raw = Buffer.from(pixels.flatMap((row) => [0, ...row.flat()]));
  return { png: pngFile(size, size, 8, 2, raw), pixels };
}

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return isGraftError(e) ? e.code : `not a GraftError: ${(e as Error).message}`;
  }
  return undefined;
}

describe('preprocessing layers', () => {
  const root = mkdtempSync(join(tmpdir(), 'graft-prep-'));
  beforeAll(() => useBackend('cpu'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('rescaling computes x * scale + offset', async () => {
    const m = sequential({ inputShape: [1, 2, 1] }).rescaling(1 / 127.5, -1);
    expect((await run(m, [[[[0], [255]]]]))[0][0].map((v) => v[0])).toEqual([-1, 1].map((v) => expect.closeTo(v, 6)));
    m.dispose();
  });

  it('normalization with given statistics divides by max(sqrt(variance), 1e-7), per channel', async () => {
    const m = sequential({ inputShape: [1, 1, 3] }).normalization({ mean: [1, 2, 3], variance: [4, 0, 0.25] });
    const [[[px]]] = await run(m, [[[[5, 2.5, 4]]]]);
    // (5-1)/2, (2.5-2)/1e-7, (4-3)/0.5
    expect(px[0]).toBeCloseTo(2, 6);
    expect(px[1] / 5e6).toBeCloseTo(1, 5);
    expect(px[2]).toBeCloseTo(2, 6);
    m.dispose();
  });

  it('adapt computes the per-channel mean and population variance, in batches, after the layers before it', async () => {
    // 7 images [2, 2, 2]; batch size 3 makes three partial batches to merge
    const data = Array.from({ length: 7 }, (_, i) =>
      Array.from({ length: 2 }, (_, r) => Array.from({ length: 2 }, (_, c) => [i * 3 + r - c, ((i * i) % 5) + c * 7])),
    );
    const m = sequential({ inputShape: [2, 2, 2] })
      .rescaling(2, 1)
      .normalization();
    await m.adapt(data, { batchSize: 3 });
    for (const ch of [0, 1]) {
      const v = data.flatMap((img) => img.flatMap((row) => row.map((p) => p[ch] * 2 + 1)));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      const [wMean, wVar] = m.net.layers[1].getWeights().map((w) => w.dataSync()[ch]);
      expect(wMean).toBeCloseTo(mean, 4);
      expect(wVar).toBeCloseTo(variance, 3);
    }
    // the output is standardised per channel
    const out = await run(m, data);
    const ch0 = out.flatMap((img) => img.flatMap((row) => row.map((p) => p[0])));
    expect(ch0.reduce((a, b) => a + b, 0) / ch0.length).toBeCloseTo(0, 5);
    expect(ch0.reduce((a, b) => a + b * b, 0) / ch0.length).toBeCloseTo(1, 4);
    m.dispose();
  });

  it('adapt with axis null keeps one statistic; axis 1 one per row', async () => {
    const data = [
      [[1], [2]],
      [[3], [6]],
    ].map((r) => [r]); // two samples [1, 2, 1]
    const all = sequential({ inputShape: [1, 2, 1] }).normalization({ axis: null });
    await all.adapt(data);
    const [mean, variance] = all.net.layers[0].getWeights().map((w) => Array.from(w.dataSync()));
    expect(mean).toEqual([3]);
    expect(variance[0]).toBeCloseTo(3.5, 5); // values 1, 2, 3, 6
    const rows = sequential({ inputShape: [2, 1] }).normalization({ axis: 1 });
    await rows.adapt([
      [[1], [10]],
      [[3], [30]],
    ]);
    expect(Array.from(rows.net.layers[0].getWeights()[0].dataSync())).toEqual([2, 20]);
    all.dispose();
    rows.dispose();
  });

  it('refuses to run before adapt (NOT_ADAPTED), leaks nothing and works once adapted', async () => {
    const m = sequential({ inputShape: [2], seed: 1 })
      .normalization()
      .dense(2, { activation: 'softmax' });
    const x = [
      [0, 1],
      [2, 3],
      [4, 1],
      [1, 5],
    ];
    const before = tf.memory().numTensors;
    expect(await code(m.predict(x))).toBe('NOT_ADAPTED');
    // what the model owns appeared on build (weights, statistics); nothing else stayed
    const owned = m.net.weights.length;
    expect(tf.memory().numTensors).toBe(before + owned);
    expect(await code(m.fit(x, [0, 1, 0, 1], { epochs: 1 }))).toBe('NOT_ADAPTED');
    // the fit made the model's optimizer; a second failing fit adds nothing
    const withOptimizer = tf.memory().numTensors;
    expect(await code(m.fit(x, [0, 1, 0, 1], { epochs: 1 }))).toBe('NOT_ADAPTED');
    expect(tf.memory().numTensors).toBe(withOptimizer);
    expect(await code(m.adapt([[1, 2, 3]]))).toBe('SHAPE_MISMATCH');
    expect(await code(m.adapt([]))).toBe('EMPTY_DATA');
    const data = Dataset.from(x, [0, 1, 0, 1]);
    await m.adapt(data);
    expect(tf.memory().numTensors).toBe(withOptimizer + 2); // the dataset's x and y
    const p = (await m.predict([0, 1])) as ClassPrediction;
    expect(p.probabilities).toHaveLength(2);
    await m.fit(x, [0, 1, 0, 1], { epochs: 1, seed: 1 });
    m.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad layer arguments with INVALID_LAYER', async () => {
    const s = () => sequential({ inputShape: [4, 4, 3] });
    expect(await code(() => s().rescaling(Number.NaN))).toBe('INVALID_LAYER');
    expect(await code(() => s().resizing(0, 2))).toBe('INVALID_LAYER');
    expect(await code(() => s().resizing(2, 2, { interpolation: 'bicubic' as never }))).toBe('INVALID_LAYER');
    expect(await code(() => s().centerCrop(2, 1.5))).toBe('INVALID_LAYER');
    expect(await code(() => s().normalization({ axis: 0 }))).toBe('INVALID_LAYER');
    expect(await code(() => s().normalization({ mean: 1 }))).toBe('INVALID_LAYER');
    expect(await code(() => s().normalization({ mean: 1, variance: -1 }))).toBe('INVALID_LAYER');
    const ones = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => [1, 1, 1]));
    expect(await code(s().dense(2).adapt([ones]))).toBe('INVALID_LAYER');
  });

  it('resizing matches TF2 half-pixel bilinear and nearest on a 2x2 image', async () => {
    const src = [image(2, 2, (r, c) => 2 * r + c)];
    // half-pixel centres: output i samples source (i + 0.5) / 2 - 0.5, clamped: 0, 0.25, 0.75, 1
    const t = [0, 0.25, 0.75, 1];
    const bilinear = sequential({ inputShape: [2, 2, 1] }).resizing(4, 4);
    expect(await run(bilinear, src)).toEqual([image(4, 4, (r, c) => 2 * t[r] + t[c])]);
    const nearest = sequential({ inputShape: [2, 2, 1] }).resizing(4, 4, { interpolation: 'nearest' });
    const n = [0, 0, 1, 1];
    expect(await run(nearest, src)).toEqual([image(4, 4, (r, c) => 2 * n[r] + n[c])]);
    // crop to the target's aspect ratio: the central 2x2 of a 2x4 image, then resized
    const wide = sequential({ inputShape: [2, 4, 1] }).resizing(1, 1, { cropToAspectRatio: true });
    expect(await run(wide, [image(2, 4, (r, c) => 4 * r + c)])).toEqual([[[[(1 + 2 + 5 + 6) / 4]]]]);
    for (const m of [bilinear, nearest, wide]) m.dispose();
  });

  it("centerCrop takes Keras' central window, odd and even", async () => {
    const crop = sequential({ inputShape: [5, 4, 1] }).centerCrop(3, 3);
    // offsets (5 - 3) // 2 = 1 rows, (4 - 3) // 2 = 0 columns
    expect(await run(crop, [image(5, 4, (r, c) => 10 * r + c)])).toEqual([image(3, 3, (r, c) => 10 * (r + 1) + c)]);
    crop.dispose();
  });

  it("saves and loads with its layers; predict('x.png') decodes and resizes to the input, loaded or not", async () => {
    const { png, pixels } = gradientPng(8);
    const file = join(root, 'x.png');
    writeFileSync(file, png);
    const big = join(root, 'big.png');
    writeFileSync(big, gradientPng(16).png);
    const m = sequential({ inputShape: [8, 8, 3], seed: 3 })
      .rescaling(1 / 255)
      .normalization()
      .centerCrop(6, 6)
      .resizing(4, 4)
      .conv2d(4, 3, { activation: 'relu' })
      .globalAvgPool2d()
      .dense(3, { activation: 'softmax' });
    await m.adapt([pixels, pixels.map((row) => row.map((p) => p.map((v) => 255 - v)))]);
    const fromTensor = (await m.predict([pixels])) as ClassPrediction[];
    const fromPath = (await m.predict(file)) as ClassPrediction;
    expect(fromPath.probabilities).toEqual(fromTensor[0].probabilities.map((p) => expect.closeTo(p, 5)));
    const dir = join(root, 'model');
    await m.save(dir);
    const loaded = await loadModel(dir);
    const before = tf.memory().numTensors;
    const again = (await loaded.predict(file)) as ClassPrediction;
    expect(again.probabilities).toEqual(fromPath.probabilities.map((p) => expect.closeTo(p, 6)));
    const bytes = (await loaded.predict(new Uint8Array(png))) as ClassPrediction;
    expect(bytes.probabilities).toEqual(again.probabilities);
    const both = (await loaded.predict([file, big])) as ClassPrediction[];
    expect(both).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(loaded.net.layers.map((l) => l.getClassName()).slice(0, 4)).toEqual([
      'Rescaling',
      'GraftNormalization',
      'GraftCenterCrop',
      'GraftResizing',
    ]);
    m.dispose();
    loaded.dispose();
  });
});
