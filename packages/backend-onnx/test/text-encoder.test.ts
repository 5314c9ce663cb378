import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureOnnx, type OnnxTextEncoder, onnxTextEncoder } from '../src';
import { bertTokenizerJson } from '../src/text/vocab-txt';
import { maxAbsDiff } from './helpers';
import { HIDDEN, meanPooled, tinyBert, tinyBertWeights, tokenStates, VOCAB } from './tiny-bert';

const code = (c: string) => expect.objectContaining({ code: c });
const W = tinyBertWeights();
const BYTES = tinyBert(W);

/** A folder as a Hugging Face repository has it for transformers.js: onnx/model.onnx and vocab.txt. */
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'graft-onnx-text-'));
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

async function rows(t: tf.Tensor): Promise<number[][]> {
  const a = (await t.array()) as number[][];
  t.dispose();
  return a;
}

// ids from the made vocabulary (tiny-bert.ts), as text-tokenizer.test.ts derives them
const GOOD = { text: 'The Café is good.', ids: [2, 5, 6, 20, 21, 15, 3] };
const FREE = { text: 'free prize', ids: [2, 26, 27, 3] };

describe('onnxTextEncoder on a tiny BERT-shaped graph', () => {
  let dir: string;
  let enc: OnnxTextEncoder;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = folder({ 'onnx/model.onnx': BYTES, 'vocab.txt': VOCAB.join('\n') });
    enc = await onnxTextEncoder(dir);
  });
  afterAll(() => enc?.dispose());

  it('describes itself as a frozen text base referenced by its location', () => {
    expect(enc.kind).toBe('extractor');
    expect(enc.input).toBe('text');
    expect(enc.featureShape).toEqual([HIDDEN]);
    expect(enc.reference).toBe(dir);
    expect(enc.name).toBe(path.basename(dir));
    expect(enc.maxLength).toBe(512);
    expect([enc.pooling, enc.normalize]).toEqual(['mean', true]);
    expect(enc.tokenize(GOOD.text)).toEqual(GOOD.ids);
  });

  it('mean-pools the token states over real tokens and L2-normalises, as computed by hand', async () => {
    const before = tf.memory().numTensors;
    const got = await rows(await enc.embed([GOOD.text, FREE.text]));
    expect(tf.memory().numTensors).toBe(before);
    // FREE is padded to GOOD's 7 tokens in this batch: the hand value averages its 4 real tokens only
    const want = [GOOD, FREE].map((s) => meanPooled(tokenStates(W, s.ids)));
    expect(maxAbsDiff(got.flat(), want.flat())).toBeLessThan(1e-5);
    for (const r of got) expect(Math.hypot(...r)).toBeCloseTo(1, 5);
    // the padding really is there to be masked: an unmasked mean would differ
    const padded = [...FREE.ids, 0, 0, 0];
    const unmasked = meanPooled(tokenStates(W, padded));
    expect(maxAbsDiff(unmasked, want[1])).toBeGreaterThan(1e-3);
  });

  it('gives the same embeddings in batches of any size as one by one', async () => {
    const texts = [GOOD.text, FREE.text, 'see you at lunch', 'Unaffable PLAYING!', 'win cash now', 'it'];
    const all = await rows(await enc.embed(texts));
    const one = await onnxTextEncoder(dir, { batchSize: 1 });
    const two = await onnxTextEncoder(dir, { batchSize: 4 });
    try {
      const singly = await rows(await one.embed(texts));
      expect(maxAbsDiff(all.flat(), singly.flat())).toBeLessThan(1e-6);
      expect(maxAbsDiff((await rows(await two.embed(texts))).flat(), singly.flat())).toBeLessThan(1e-6);
      // each text alone, through embed(string)
      const alone = await rows(await enc.embed(texts[3]));
      expect(maxAbsDiff(alone[0], all[3])).toBeLessThan(1e-6);
    } finally {
      one.dispose();
      two.dispose();
    }
  });

  it('pools the first token for "cls" and leaves vectors unnormalised when asked', async () => {
    const cls = await onnxTextEncoder(dir, { pooling: 'cls', normalize: false });
    try {
      const got = await rows(await cls.embed([GOOD.text, FREE.text]));
      const want = [GOOD, FREE].map((s) => tokenStates(W, s.ids)[0]);
      expect(maxAbsDiff(got.flat(), want.flat())).toBeLessThan(1e-5);
      expect(cls.pooling).toBe('cls');
    } finally {
      cls.dispose();
    }
    const raw = await onnxTextEncoder(dir, { normalize: false });
    try {
      const got = await rows(await raw.embed(GOOD.text));
      expect(maxAbsDiff(got[0], meanPooled(tokenStates(W, GOOD.ids), false))).toBeLessThan(1e-5);
    } finally {
      raw.dispose();
    }
  });

  it('cuts texts over maxLength, keeping [SEP], and reports it in a warning and in tokenizeBatch', async () => {
    const short = await onnxTextEncoder(dir, { maxLength: 5 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const got = await rows(await short.embed([GOOD.text, FREE.text]));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/1 of 2 texts .* cut to 5 \(maxLength\)/));
      // [CLS] the cafe is [SEP], by hand
      expect(maxAbsDiff(got[0], meanPooled(tokenStates(W, [2, 5, 6, 20, 3])))).toBeLessThan(1e-5);
      const batch = short.tokenizeBatch([FREE.text, GOOD.text]);
      expect(batch).toEqual({
        n: 2,
        length: 5,
        inputIds: [2, 26, 27, 3, 0, 2, 5, 6, 20, 3],
        attentionMask: [1, 1, 1, 1, 0, 1, 1, 1, 1, 1],
        tokenTypeIds: new Array(10).fill(0),
        truncated: [1],
      });
      warn.mockClear();
      (await short.embed(FREE.text)).dispose();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      short.dispose();
    }
  });

  it('gives the same embeddings on onnxruntime-web (WebAssembly) as on the runtime picked by default', async () => {
    const texts = [GOOD.text, FREE.text, 'Unaffable PLAYING!'];
    const want = await rows(await enc.embed(texts));
    configureOnnx({ runtime: 'web' });
    try {
      const web = await onnxTextEncoder(dir);
      expect(web.frozenReason).toMatch(/onnxruntime-web/);
      expect(maxAbsDiff((await rows(await web.embed(texts))).flat(), want.flat())).toBeLessThan(1e-5);
      web.dispose();
    } finally {
      configureOnnx({ runtime: 'auto' });
    }
  });

  it('refuses non-strings, empty and over-long texts with coded errors, and stays usable', async () => {
    const before = tf.memory().numTensors;
    await expect(enc.embed([GOOD.text, 3 as unknown as string])).rejects.toThrow(code('INVALID_DATA'));
    await expect(enc.embed(['  '])).rejects.toThrow(code('EMPTY_TEXT'));
    await expect(enc.embed('')).rejects.toThrow(code('EMPTY_TEXT'));
    await expect(enc.embed('x'.repeat(9000))).rejects.toThrow(code('TEXT_TOO_LONG'));
    await expect(enc.embed([])).rejects.toThrow(code('INVALID_DATA'));
    expect(() => enc.tokenizeBatch([])).toThrow(code('INVALID_DATA'));
    expect(() => enc.tokenizeBatch([null as unknown as string])).toThrow(code('INVALID_DATA'));
    expect(() => enc.tokenize(5 as unknown as string)).toThrow(code('INVALID_DATA'));
    expect(tf.memory().numTensors).toBe(before);
    expect((await rows(await enc.embed(FREE.text)))[0]).toHaveLength(HIDDEN);
  });
});

describe('onnxTextEncoder: sources and options', () => {
  let server: Server;
  let base: string;
  const tokenizerJson = JSON.stringify({ ...bertTokenizerJson(VOCAB.join('\n'), true), truncation: { max_length: 6 } });
  beforeAll(async () => {
    await tf.setBackend('cpu');
    server = createServer((req, res) => {
      const files: Record<string, string | Uint8Array> = { '/m/model.onnx': BYTES, '/m/tokenizer.json': tokenizerJson };
      const body = files[req.url ?? ''];
      res.statusCode = body ? 200 : 404;
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('loads from a base URL (flat layout, tokenizer.json, its max_length the default)', async () => {
    const enc = await onnxTextEncoder(base);
    try {
      expect(enc.reference).toBe(base);
      expect(enc.maxLength).toBe(6);
      const got = await rows(await enc.embed(FREE.text));
      expect(maxAbsDiff(got[0], meanPooled(tokenStates(W, FREE.ids)))).toBeLessThan(1e-5);
    } finally {
      enc.dispose();
    }
  });

  it('loads named files and bytes; a graph without token_type_ids or with int32 ids', async () => {
    const noTypes = tinyBert({ ...W, types: new Float32Array(2 * HIDDEN) }, { types: false });
    const a = await onnxTextEncoder(
      { model: noTypes, vocab: new TextEncoder().encode(VOCAB.join('\n')) },
      { name: 'tiny' },
    );
    const b = await onnxTextEncoder({ model: `${base}/model.onnx`, tokenizer: JSON.parse(tokenizerJson) });
    const c = await onnxTextEncoder({ model: tinyBert(W, { int32: true }), tokenizer: `${base}/tokenizer.json` });
    try {
      expect(a.reference).toBe('tiny');
      expect(a.source.tokens?.types).toBeUndefined();
      expect(b.reference).toBe(`${base}/model.onnx`);
      expect(c.reference).toBeUndefined();
      const zeroTypes = { ...W, types: new Float32Array(2 * HIDDEN) };
      const want = meanPooled(tokenStates(zeroTypes, FREE.ids));
      expect(maxAbsDiff((await rows(await a.embed(FREE.text)))[0], want)).toBeLessThan(1e-5);
      const want2 = meanPooled(tokenStates(W, FREE.ids));
      expect(maxAbsDiff((await rows(await c.embed(FREE.text)))[0], want2)).toBeLessThan(1e-5);
    } finally {
      for (const e of [a, b, c]) e.dispose();
    }
  });

  it('gives a graph without an attention_mask input one, so padding is still masked', async () => {
    const enc = await onnxTextEncoder({
      model: tinyBert(W, { mask: false }),
      vocab: new TextEncoder().encode(VOCAB.join('\n')),
    });
    try {
      expect(enc.source.tokens?.mask).toBe('attention_mask');
      const got = await rows(await enc.embed([GOOD.text, FREE.text]));
      const want = [GOOD, FREE].map((s) => meanPooled(tokenStates(W, s.ids)));
      expect(maxAbsDiff(got.flat(), want.flat())).toBeLessThan(1e-5);
    } finally {
      enc.dispose();
    }
  });

  it('refuses bad options, missing files and graphs that are not text encoders', async () => {
    const dir = folder({ 'model.onnx': BYTES, 'vocab.txt': VOCAB.join('\n') });
    await expect(onnxTextEncoder(dir, { pooling: 'max' as 'mean' })).rejects.toThrow(code('INVALID_OPTION'));
    await expect(onnxTextEncoder(dir, { normalize: 1 as unknown as boolean })).rejects.toThrow(code('INVALID_OPTION'));
    await expect(onnxTextEncoder(dir, { batchSize: 0 })).rejects.toThrow(code('INVALID_OPTION'));
    await expect(onnxTextEncoder(dir, { maxLength: 2 })).rejects.toThrow(code('INVALID_OPTION'));
    await expect(onnxTextEncoder(dir, { output: 'nope' })).rejects.toThrow(code('ONNX_UNKNOWN_OUTPUT'));
    await expect(onnxTextEncoder(path.join(dir, 'absent'))).rejects.toThrow(code('LOAD_FAILED'));
    await expect(onnxTextEncoder(`${base}/absent`)).rejects.toThrow(code('LOAD_FAILED'));
    await expect(onnxTextEncoder({ model: BYTES })).rejects.toThrow(code('INVALID_OPTION'));
    await expect(onnxTextEncoder(42 as unknown as string)).rejects.toThrow(code('INVALID_OPTION'));
    const fixed = folder({ 'model.onnx': tinyBert(W, { fixedLength: 8 }), 'vocab.txt': VOCAB.join('\n') });
    await expect(onnxTextEncoder(fixed, { maxLength: 9 })).rejects.toThrow(code('INVALID_OPTION'));
    const f = await onnxTextEncoder(fixed);
    expect(f.maxLength).toBe(8);
    // padded to the fixed length, whatever the batch's longest text
    expect(f.tokenizeBatch([FREE.text]).inputIds).toEqual([...FREE.ids, 0, 0, 0, 0]);
    f.dispose();
    await expect(f.embed(FREE.text)).rejects.toThrow(code('MODEL_DISPOSED'));
    const { encodeModel } = await import('../src/onnx/encode');
    const image = encodeModel({
      graphName: 'image',
      nodes: [{ opType: 'Identity', inputs: ['pixel_values'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'pixel_values', dims: [1, 3, 4, 4] }],
      outputs: [{ name: 'y', dims: [1, 3, 4, 4] }],
      opsets: [{ domain: '', version: 13 }],
      irVersion: 7,
    });
    await expect(onnxTextEncoder({ model: image, vocab: new TextEncoder().encode(VOCAB.join('\n')) })).rejects.toThrow(
      code('ONNX_INPUT_MISMATCH'),
    );
  });
});
