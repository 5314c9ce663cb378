import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ClassPrediction, Dataset, embed, loadModel, type TransferModel, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OnnxTextEncoder, onnxTextEncoder } from '../src';
import { hasPythonOnnx, maxAbsDiff, pythonCheck } from './helpers';
import { tinyBert, tinyBertWeights, VOCAB } from './tiny-bert';

const code = (c: string) => expect.objectContaining({ code: c });

// every word is in the made vocabulary, so the tiny model sees distinct ids
const TEXTS = [
  'free prize, call now!',
  'win cash now',
  'free cash prize',
  'win a prize, call now',
  'see you at lunch',
  'dinner at home tonight?',
  'see you at home',
  'lunch tonight?',
];
const LABELS = ['spam', 'spam', 'spam', 'spam', 'ham', 'ham', 'ham', 'ham'];
const PROBE = ['call now, free cash!', 'see you tonight', 'the cafe is good.'];

/** Runs an exported text model in onnxruntime-web on the encoder's own token ids. */
async function runExported(bytes: Uint8Array, enc: OnnxTextEncoder, texts: string[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    expect([...session.inputNames].sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    const b = enc.tokenizeBatch(texts);
    const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [b.n, b.length]);
    const out = await session.run({
      input_ids: t(b.inputIds),
      attention_mask: t(b.attentionMask),
      token_type_ids: t(b.tokenTypeIds),
    });
    return (out[session.outputNames[0]].data as Float32Array).slice();
  } finally {
    await session.release();
  }
}

describe('transfer() on an ONNX text encoder', () => {
  let dir: string;
  let enc: OnnxTextEncoder;
  let extracted = 0;
  let model: TransferModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(path.join(tmpdir(), 'graft-onnx-text-'));
    writeFileSync(path.join(dir, 'model.onnx'), tinyBert(tinyBertWeights()));
    writeFileSync(path.join(dir, 'vocab.txt'), VOCAB.join('\n'));
    enc = await onnxTextEncoder(dir);
    const extract = enc.extract.bind(enc);
    enc.extract = async (rows) => {
      extracted += rows.shape[0];
      return extract(rows);
    };
    model = await transfer(enc, { seed: 3 }).addHead(2).fit(TEXTS, LABELS, { seed: 1 });
  });
  afterAll(async () => {
    await model?.dispose();
    enc?.dispose();
  });

  it('fits on strings, embedding each text once (the feature cache), and predicts strings', async () => {
    expect(extracted).toBe(TEXTS.length);
    const before = tf.memory().numTensors;
    const again = await transfer(enc, { seed: 3 })
      .addHead(2)
      .fit(TEXTS, LABELS, { epochs: 30, batchSize: 4, learningRate: 0.1, seed: 1 });
    // 30 epochs, still one pass over the texts
    expect(extracted).toBe(2 * TEXTS.length);
    const ds = Dataset.from(TEXTS, LABELS);
    expect((await model.evaluate(ds)).accuracy).toBe(1);
    ds.dispose();
    const one = (await model.predict(PROBE[0])) as ClassPrediction;
    expect(['spam', 'ham']).toContain(one.label);
    const many = (await model.predict(PROBE)) as ClassPrediction[];
    expect(many).toHaveLength(3);
    expect(many[0].probabilities).toEqual(one.probabilities);
    await again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives core's embed() the encoder's own embeddings", async () => {
    const a = await embed(enc, PROBE);
    const b = await enc.embed(PROBE);
    expect(a.shape).toEqual([3, 8]);
    expect(maxAbsDiff(await a.data(), await b.data())).toBeLessThan(1e-7);
    tf.dispose([a, b]);
  });

  it('saves the head alone, referring to the encoder by its location, and loads it onto it', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'graft-onnx-text-save-')), 'spam');
    await model.save(out);
    expect(readdirSync(out).some((f) => f.endsWith('.onnx'))).toBe(false);
    expect(readFileSync(path.join(out, 'model.json'), 'utf8')).toContain(JSON.stringify(dir));
    const want = (await model.predict(PROBE)) as ClassPrediction[];
    await expect(loadModel(out)).rejects.toThrow(code('BASE_REQUIRED'));
    const other = await onnxTextEncoder({ model: path.join(dir, 'model.onnx'), vocab: path.join(dir, 'vocab.txt') });
    await expect(loadModel(out, { base: other })).rejects.toThrow(code('INVALID_BASE'));
    other.dispose();
    const same = await onnxTextEncoder(dir);
    const loaded = await loadModel(out, { base: same });
    const got = (await loaded.predict(PROBE)) as ClassPrediction[];
    got.forEach((p, i) => {
      expect(maxAbsDiff(p.probabilities, want[i].probabilities)).toBeLessThan(1e-6);
    });
    await loaded.dispose();
    same.dispose();
  });

  it('exports one ONNX file (encoder graph, pooling, head) on token ids whose outputs equal predict', async () => {
    const bytes = await model.export('onnx');
    const texts = [...PROBE, ...TEXTS];
    const file = await runExported(bytes, enc, texts);
    const want = (await model.predict(texts)) as ClassPrediction[];
    expect(
      maxAbsDiff(
        file,
        want.flatMap((p) => p.probabilities),
      ),
    ).toBeLessThan(1e-5);
    // the file's probabilities are not all alike (a wrong join would still give valid softmax rows)
    expect(Math.max(...file) - Math.min(...file)).toBeGreaterThan(0.05);
    if (hasPythonOnnx()) expect(pythonCheck({ text_model: bytes })).toEqual([]);
  });

  it('refuses texts given to the onnx runtime, non-strings and empty texts with codes, and stays usable', async () => {
    const before = tf.memory().numTensors;
    await expect(model.predict(PROBE, { backend: 'onnx' })).rejects.toThrow(
      expect.objectContaining({ code: 'ONNX_INPUT_MISMATCH', message: expect.stringMatching(/not texts/) }),
    );
    await expect(model.predict([[1, 2, 3]])).rejects.toThrow(code('INVALID_DATA'));
    await expect(model.predict(['fine', 7 as unknown as string])).rejects.toThrow(code('INVALID_DATA'));
    await expect(model.predict('   ')).rejects.toThrow(code('EMPTY_TEXT'));
    await expect(model.predict('x'.repeat(9000))).rejects.toThrow(code('TEXT_TOO_LONG'));
    expect(tf.memory().numTensors).toBe(before);
    expect(((await model.predict(PROBE[1])) as ClassPrediction).probabilities).toHaveLength(2);
  });
});
