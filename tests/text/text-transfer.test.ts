import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backends, type ClassPrediction, Dataset, loadModel, transfer } from '@graftjs/core';
import { classifier, embedding, multiLabel, regression } from '@graftjs/heads';
import { type SentenceEncoder, sentenceEncoder } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import '../helpers/backends';
import { LABELS, TEXTS } from './toy-texts';

const FIT = { epochs: 40, batchSize: 6, learningRate: 0.05, seed: 1 };
const code = (c: string) => expect.objectContaining({ code: c });

describe('transfer on a text encoder', () => {
  let enc: SentenceEncoder;
  let extracted = 0;
  beforeAll(async () => {
    await backends.use('wasm');
    enc = await sentenceEncoder();
    const extract = enc.extract.bind(enc);
    enc.extract = async (rows) => {
      extracted += rows.shape[0];
      return extract(rows);
    };
  });
  afterAll(() => enc.dispose());

  it('fits on strings, embedding each text once over the epochs, and predicts strings', async () => {
    const before = tf.memory().numTensors;
    extracted = 0;
    const model = await transfer(enc, { seed: 3 }).addHead(2).fit(TEXTS, LABELS, FIT);
    expect(extracted).toBe(TEXTS.length);
    const one = await model.predict('free cash prize, call now to claim');
    expect(one.label).toBe('spam');
    const many = await model.predict(['see you at lunch tomorrow', 'you won a free holiday, reply WIN']);
    expect(many.map((p) => p.label)).toEqual(['ham', 'spam']);
    const ds = Dataset.from(TEXTS, LABELS);
    expect((await model.evaluate(ds)).accuracy).toBe(1);
    ds.dispose();
    await model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes every head', async () => {
    const y = LABELS.map((l) => (l === 'spam' ? 1 : 0));
    const heads = [
      { head: classifier(2, { hidden: [8] }), labels: y },
      { head: multiLabel(2), labels: y.map((v) => [v, 1 - v]) },
      { head: regression(1), labels: y.map((v) => [v]) },
    ];
    for (const { head, labels } of heads) {
      const m = await transfer(enc, { seed: 3 })
        .addHead(head)
        .fit(TEXTS, labels, { ...FIT, epochs: 2 });
      expect(await m.predict(TEXTS.slice(0, 2))).toHaveLength(2);
      await m.dispose();
    }
    const e = transfer(enc, { seed: 3 }).addHead(embedding(16));
    await e.fit(TEXTS, y, { ...FIT, epochs: 2 });
    const probe = Dataset.from(TEXTS.slice(0, 2));
    const v = await e.predictTensor(probe.x);
    expect(v.shape).toEqual([2, 16]);
    v.dispose();
    probe.dispose();
    await e.dispose();
  });

  it('saves the head alone and loads it onto the named base', async () => {
    const model = await transfer(enc, { seed: 3 }).addHead(2).fit(TEXTS, LABELS, FIT);
    const dir = join(mkdtempSync(join(tmpdir(), 'graft-text-')), 'spam');
    await model.save(dir);
    const probe = ['free prize, call now', 'dinner at home tonight?'];
    const want = await model.predict(probe);
    await expect(loadModel(dir)).rejects.toThrow(code('BASE_REQUIRED'));
    await expect(loadModel(dir, { base: { ...enc, reference: 'other' } })).rejects.toThrow(code('INVALID_BASE'));
    const loaded = await loadModel(dir, { base: enc });
    const got = (await loaded.predict(probe)) as ClassPrediction[];
    expect(got.map((p) => p.label)).toEqual(want.map((p) => p.label));
    got.forEach((p, i) => {
      expect(p.probabilities[0]).toBeCloseTo(want[i].probabilities[0], 5);
    });
    await loaded.fit(TEXTS, LABELS, { ...FIT, epochs: 1 });
    await loaded.dispose();
    await model.dispose();
  });

  it('refuses numbers, non-strings and empty texts with codes, leaking nothing', async () => {
    const model = await transfer(enc, { seed: 3 })
      .addHead(2)
      .fit(TEXTS, LABELS, { ...FIT, epochs: 1 });
    const before = tf.memory().numTensors;
    await expect(model.predict([[1, 2, 3]])).rejects.toThrow(code('INVALID_DATA'));
    await expect(model.predict(['fine', 7 as unknown as string])).rejects.toThrow(code('INVALID_DATA'));
    await expect(model.predict('')).rejects.toThrow(code('EMPTY_TEXT'));
    await expect(model.fit([[1, 2]], [0], FIT)).rejects.toThrow(code('INVALID_DATA'));
    expect(tf.memory().numTensors).toBe(before);
    await model.dispose();
  });

  it('warns when a text is cut to maxTokens during a fit', async () => {
    const short = await sentenceEncoder({ maxTokens: 3 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = await transfer(short, { seed: 3 })
      .addHead(2)
      .fit(TEXTS, LABELS, { ...FIT, epochs: 1 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/6 of 6 texts .*cut to 3/));
    warn.mockRestore();
    await m.dispose();
    short.dispose();
  });
});
