import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onnxTextEncoder } from '@graftjs/backend-onnx';
import { onnxTextEncoderSource, onnxTextEncoders } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { meanPooled, tinyBert, tinyBertWeights, tokenStates, VOCAB } from '../../packages/backend-onnx/test/tiny-bert';

describe('the ONNX text encoder catalogue', () => {
  it('names the transformers.js encoders with their files, pooling and sizes, and what is unverified', () => {
    expect(onnxTextEncoders.map((e) => e.name)).toEqual(['all-MiniLM-L6-v2', 'bge-small-en-v1.5', 'gte-small']);
    for (const e of onnxTextEncoders) {
      expect(e.files.fp32?.url).toBe(`${e.repository}/resolve/main/onnx/model.onnx`);
      expect(e.tokenizer.url).toBe(`${e.repository}/resolve/main/tokenizer.json`);
      expect(e.embedding).toBe(384);
      expect(e.maxLength).toBeLessThanOrEqual(512);
      expect(e.unverified.length).toBeGreaterThan(0);
    }
    const bge = onnxTextEncoderSource('bge-small-en-v1.5', { dtype: 'q8' });
    expect(bge.src).toEqual({
      model: 'https://huggingface.co/Xenova/bge-small-en-v1.5/resolve/main/onnx/model_quantized.onnx',
      tokenizer: 'https://huggingface.co/Xenova/bge-small-en-v1.5/resolve/main/tokenizer.json',
    });
    expect(bge.options).toEqual({ name: 'bge-small-en-v1.5', pooling: 'cls', normalize: true, maxLength: 512 });
    expect(() => onnxTextEncoderSource('all-MiniLM-L12-v2')).toThrow(/UNKNOWN_BACKBONE.*all-MiniLM-L6-v2/);
    expect(() => onnxTextEncoderSource('gte-small', { dtype: 'int8' })).toThrow(/INVALID_OPTION.*q8/);
  });

  it('loads a local copy through onnxTextEncoder with the entry options (a tiny stand-in model here)', async () => {
    await tf.setBackend('cpu');
    const dir = mkdtempSync(path.join(tmpdir(), 'graft-minilm-'));
    const w = tinyBertWeights();
    mkdirSync(path.join(dir, 'onnx'));
    writeFileSync(path.join(dir, 'onnx', 'model.onnx'), tinyBert(w));
    writeFileSync(path.join(dir, 'vocab.txt'), VOCAB.join('\n'));
    const { src, options } = onnxTextEncoderSource('all-MiniLM-L6-v2', { from: dir });
    const enc = await onnxTextEncoder(src, options);
    try {
      expect([enc.name, enc.reference, enc.maxLength, enc.pooling]).toEqual(['all-MiniLM-L6-v2', dir, 256, 'mean']);
      const t = await enc.embed('free prize');
      const got = (await t.array()) as number[][];
      t.dispose();
      const want = meanPooled(tokenStates(w, [2, 26, 27, 3]));
      for (let i = 0; i < want.length; i++) expect(got[0][i]).toBeCloseTo(want[i], 5);
    } finally {
      enc.dispose();
    }
  });
});
