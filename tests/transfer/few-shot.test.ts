/**
 * Few-shot classification without training (issue 15, item 4): `fewShot(base)` against exact brute-force nearest
 * neighbours and class means computed here with tfjs, `embed(base, x)` against the base run by hand, save/load,
 * coded errors, and no leaks.
 */
import { readFileSync } from 'node:fs';
import { createRng, embed, GraftError, toImageTensor, transfer } from '@graftjs/core';
import { FewShotClassifier, fewShot } from '@graftjs/heads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { useBackend } from '../helpers/backends';

const DIM = 16;
// the random-vector tests store embeddings directly; the base is only referenced
const BASE = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [DIM] })] });
const CLASSES = ['a', 'b', 'c', 'd'];

function randomVectors(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: DIM }, () => rng.next() * 2 - 1));
}

/** The reference: every distance with tfjs ops, full sort, k nearest vote, ties to the nearest voter's class. */
function bruteForce(train: number[][], labels: number[], q: number[][], k: number, metric: 'cosine' | 'euclidean') {
  const d = tf.tidy(() => {
    const a = tf.tensor2d(train);
    const b = tf.tensor2d(q);
    if (metric === 'cosine') {
      const an = tf.div(a, tf.norm(a, 2, 1, true));
      const bn = tf.div(b, tf.norm(b, 2, 1, true));
      return tf.sub(1, tf.matMul(bn, an, false, true));
    }
    const sq = tf.sum(tf.square(tf.sub(tf.expandDims(b, 1), tf.expandDims(a, 0))), 2);
    return tf.sqrt(sq);
  });
  const rows = d.arraySync() as number[][];
  d.dispose();
  return rows.map((row) => {
    const order = row.map((v, i) => [v, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const near = order.slice(0, k).map(([, i]) => labels[i]);
    const votes = CLASSES.map((_, c) => near.filter((l) => l === c).length);
    const top = Math.max(...votes);
    return { index: near.find((l) => votes[l] === top) as number, probabilities: votes.map((v) => v / k) };
  });
}

describe('fewShot against brute-force nearest neighbours on random vectors', () => {
  beforeAll(() => useBackend('cpu'));
  const train = randomVectors(60, 1);
  const labels = train.map((_, i) => i % CLASSES.length);
  const queries = randomVectors(40, 2);

  for (const metric of ['cosine', 'euclidean'] as const) {
    for (const k of [1, 3, 5]) {
      it(`k=${k}, ${metric}: the same label and vote shares for every query`, async () => {
        const knn = fewShot(BASE, { k, metric });
        for (let i = 0; i < train.length; i++) await knn.addEmbedding(train[i], CLASSES[labels[i]]);
        const got = await knn.predictEmbedding(queries);
        const want = bruteForce(train, labels, queries, k, metric);
        expect(got.map((p) => p.index)).toEqual(want.map((w) => w.index));
        expect(got.map((p) => p.label)).toEqual(want.map((w) => CLASSES[w.index]));
        for (let i = 0; i < got.length; i++) expect(got[i].probabilities).toEqual(want[i].probabilities);
        expect(got[0].confidences).toEqual(Object.fromEntries(CLASSES.map((c, j) => [c, got[0].probabilities[j]])));
      });
    }
  }

  it('prototype mode picks the class whose mean embedding is nearest, scores softmax(-d / temperature)', async () => {
    const knn = fewShot(BASE, { mode: 'prototype', metric: 'euclidean', temperature: 2 });
    for (let i = 0; i < train.length; i++) await knn.addEmbedding(train[i], CLASSES[labels[i]]);
    const means = CLASSES.map((_, c) => {
      const rows = train.filter((_, i) => labels[i] === c);
      return rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    });
    const got = await knn.predictEmbedding(queries);
    for (let i = 0; i < queries.length; i++) {
      const d = means.map((m) => Math.sqrt(m.reduce((s, v, j) => s + (v - queries[i][j]) ** 2, 0)));
      const e = d.map((v) => Math.exp(-v / 2));
      const sum = e.reduce((a, b) => a + b, 0);
      expect(got[i].index).toBe(d.indexOf(Math.min(...d)));
      for (const [j, p] of got[i].probabilities.entries()) expect(p).toBeCloseTo(e[j] / sum, 5);
    }
  });

  it('save/load keeps every answer; clearClass forgets one class and its examples', async () => {
    const knn = fewShot(BASE, { k: 3 });
    for (let i = 0; i < train.length; i++) await knn.addEmbedding(train[i], CLASSES[labels[i]]);
    const state = JSON.stringify(knn.save());
    const back = FewShotClassifier.load(state, BASE);
    expect(back.classNames).toEqual(CLASSES);
    expect(back.options).toEqual(knn.options);
    expect(await back.predictEmbedding(queries)).toEqual(await knn.predictEmbedding(queries));
    back.clearClass('b');
    expect(back.classNames).toEqual(['a', 'c', 'd']);
    expect(back.exampleCounts).toEqual({ a: 15, c: 15, d: 15 });
    const left = train.filter((_, i) => labels[i] !== 1);
    const leftLabels = labels.filter((l) => l !== 1);
    const want = bruteForce(left, leftLabels, queries, 3, 'cosine');
    const got = await back.predictEmbedding(queries);
    expect(got.map((p) => p.label)).toEqual(want.map((w) => CLASSES[w.index]));
  });
});

describe('fewShot errors', () => {
  const knn = () => fewShot(BASE);
  const code = async (p: Promise<unknown> | (() => unknown)) => {
    try {
      await (typeof p === 'function' ? p() : p);
    } catch (e) {
      return e instanceof GraftError ? e.code : String(e);
    }
    return 'no error';
  };
  it('refuses bad options, labels, empty predict, a dimension mismatch, an unknown class, a bad save', async () => {
    expect(await code(() => fewShot(BASE, { k: 0 }))).toBe('INVALID_OPTION');
    expect(await code(() => fewShot(BASE, { k: 1.5 }))).toBe('INVALID_OPTION');
    expect(await code(() => fewShot(BASE, { metric: 'l1' as 'cosine' }))).toBe('INVALID_OPTION');
    expect(await code(() => fewShot(BASE, { kk: 3 } as object))).toBe('INVALID_OPTION');
    const c = knn();
    expect(await code(c.predictEmbedding([1, 2]))).toBe('NO_EXAMPLES');
    expect(await code(c.addEmbedding([1, 2], { name: 'cat' } as unknown as string))).toBe('INVALID_LABEL');
    expect(await code(c.addEmbedding([1, 2], ''))).toBe('INVALID_LABEL');
    await c.addEmbedding([1, 2], 'cat');
    expect(await code(c.addEmbedding([1, 2, 3], 'dog'))).toBe('SHAPE_MISMATCH');
    expect(c.classNames).toEqual(['cat']);
    expect(await code(c.predictEmbedding([1, 2, 3]))).toBe('SHAPE_MISMATCH');
    expect(await code(c.addEmbedding([1, Number.NaN], 'dog'))).toBe('NON_FINITE_VALUE');
    expect(await code(() => c.clearClass('dog'))).toBe('UNKNOWN_CLASS');
    expect(await code(() => FewShotClassifier.load('{"format":"x"}', BASE))).toBe('INVALID_MODEL_FILE');
    c.clearAllClasses();
    expect(await code(c.predictEmbedding([1, 2]))).toBe('NO_EXAMPLES');
    c.dispose();
    expect(await code(c.addEmbedding([1, 2], 'cat'))).toBe('MODEL_DISPOSED');
  });
});

describe('embed on a layers base', () => {
  beforeAll(() => useBackend('cpu'));

  function convBase(): tfl.LayersModel {
    const input = tfl.input({ shape: [8, 8, 3] });
    const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, name: 'features', seed: 3 } as never).apply(input);
    const out = tfl.layers.dense({ units: 2 }).apply(tfl.layers.flatten().apply(conv));
    return tfl.model({ inputs: input, outputs: out as tfl.SymbolicTensor });
  }

  it('a backbone at its feature layer: avg/max pooled maps, in batches, the caller owning the result', async () => {
    const model = convBase();
    const base = { kind: 'layers' as const, name: 'tiny', model, featureLayer: 'features', inputShape: [8, 8, 3] };
    const x = tf.randomUniform([40, 8, 8, 3], 0, 1, 'float32', 5);
    const cut = tfl.model({ inputs: model.inputs, outputs: model.getLayer('features').output as tfl.SymbolicTensor });
    const map = cut.predict(x) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const avg = await embed(base, x);
    const max = await embed(base, x, { pooling: 'max' });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(avg.shape).toEqual([40, 4]);
    const wantAvg = tf.mean(map, [1, 2]);
    const wantMax = tf.max(map, [1, 2]);
    expect(tf.max(tf.abs(tf.sub(avg, wantAvg))).dataSync()[0]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(max, wantMax))).dataSync()[0]).toBeLessThan(1e-5);
    // a transfer model on the same base embeds the same, and needs no head
    const m = transfer(base);
    const viaModel = await m.embed(x);
    expect(tf.max(tf.abs(tf.sub(viaModel, avg))).dataSync()[0]).toBeLessThan(1e-6);
    expect(await embed(m, tf.slice(x, 0, 1)).then((t) => t.shape)).toEqual([1, 4]);
    const err = await embed(base, x, { pooling: 'mean' as 'avg' }).catch((e) => e.code);
    expect(err).toBe('INVALID_OPTION');
    expect(await embed({}, x).catch((e) => e.code)).toBe('INVALID_BASE');
    expect(await embed(base, tf.zeros([2, 5, 5, 3])).catch((e) => e.code)).toBe('SHAPE_MISMATCH');
  });

  it('a tfjs LayersModel: its output; a kNN on it adds and predicts without leaking', async () => {
    const model = convBase();
    const x = tf.randomUniform([6, 8, 8, 3], 0, 1, 'float32', 9);
    const want = model.predict(x) as tf.Tensor;
    const got = await embed(model, x);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
    const knn = fewShot(model, { k: 1 });
    const [left, right, query] = [tf.slice(x, 0, 3), tf.slice(x, 3, 3), tf.reshape(tf.slice(x, 4, 1), [8, 8, 3])];
    const before = tf.memory().numTensors;
    await knn.addExample(left, 'left');
    await knn.addExample(right, 'right');
    const one = await knn.predict(query);
    const all = await knn.predict(x);
    expect(tf.memory().numTensors).toBe(before);
    // one sample [8, 8, 3]: one prediction; a batch [n, 8, 8, 3]: a list
    expect(Array.isArray(one)).toBe(false);
    expect((all as { label: string }[]).map((p) => p.label)).toEqual([
      'left',
      'left',
      'left',
      'right',
      'right',
      'right',
    ]);
    expect(knn.save().base).toBe(model.name);
  });

  it.skipIf(!HAVE_ASSETS)('images in: a path, its bytes and its decoded pixels give the same embedding', async () => {
    const pre = { size: [8, 8] as [number, number], range: [-1, 1] as [number, number] };
    const base = {
      kind: 'layers' as const,
      name: 'tiny',
      model: convBase(),
      featureLayer: 'features',
      inputShape: [8, 8, 3],
      preprocessing: pre,
    };
    const path = `${ASSETS}/photos/chelsea.png`;
    const pixels = await toImageTensor(path, { size: [8, 8] });
    const before = tf.memory().numTensors;
    const [fromPath, fromBytes, fromPixels, two] = [
      await embed(base, path),
      await embed(base, new Uint8Array(readFileSync(path))),
      await embed(base, pixels),
      await embed(base, [path, path]),
    ];
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(fromPath.shape).toEqual([1, 4]);
    expect(two.shape).toEqual([2, 4]);
    expect(await fromBytes.array()).toEqual(await fromPath.array());
    expect(tf.max(tf.abs(tf.sub(fromPixels, fromPath))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([fromPath, fromBytes, fromPixels, two, pixels]);
  });
});
