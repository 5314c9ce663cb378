import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ExtractorBackbone, isGraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureOnnx, exportOnnx, onnxBackbone } from '../src';
import { decodeOnnx } from '../src/onnx/decode';
import { rewriteOnnx } from '../src/onnx/rewrite';
import { ProtoWriter } from '../src/proto/writer';
import { ASSETS, INT8_MODEL } from './helpers';

const PRE = { size: [8, 8] as [number, number] };

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isGraftError(e)) return `${e.code}: ${e.message.replace(/^\[\w+\] /, '')}`;
    throw e;
  }
  return 'no error';
}

let small: Uint8Array;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const net = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }),
      tfl.layers.globalAveragePooling2d({}),
    ],
  });
  small = await exportOnnx({ net });
  net.dispose();
});

describe('bad ONNX files', () => {
  it('not an ONNX file: a JPEG, JSON, text, an empty array, a protobuf without a graph -> ONNX_INVALID_FILE', async () => {
    const photo = path.join(ASSETS, 'photos');
    const samples: Uint8Array[] = [
      new TextEncoder().encode('{"format": "layers-model"}'),
      new TextEncoder().encode('hello world, not a model'),
      new Uint8Array(0),
      new ProtoWriter().int(1, 7).string(2, 'no graph here').finish(),
    ];
    if (existsSync(photo)) samples.push(readFileSync(path.join(ASSETS, 'flowers/daisy', '100080576_f52e8ee070_n.jpg')));
    for (const bytes of samples) {
      expect(await codeOf(onnxBackbone(bytes, { preprocessing: PRE }))).toMatch(/^ONNX_INVALID_FILE: expected /);
    }
  });

  it('a truncated ONNX file -> ONNX_INVALID_FILE, wherever it is cut', async () => {
    for (const keep of [0.1, 0.5, 0.9, 0.999]) {
      const cut = small.subarray(0, Math.floor(small.length * keep));
      expect(await codeOf(onnxBackbone(cut, { preprocessing: PRE }))).toMatch(/^ONNX_INVALID_FILE/);
    }
    if (existsSync(INT8_MODEL)) {
      const big = readFileSync(INT8_MODEL);
      const msg = await codeOf(onnxBackbone(big.subarray(0, big.length / 2), { preprocessing: { size: [224, 224] } }));
      expect(msg).toMatch(/^ONNX_INVALID_FILE: .*truncated/);
    }
  });

  it('files that cannot be read or options of the wrong kind', async () => {
    expect(await codeOf(onnxBackbone('/nonexistent/model.onnx', { preprocessing: PRE }))).toMatch(/^LOAD_FAILED/);
    expect(await codeOf(onnxBackbone(42 as unknown as string, { preprocessing: PRE }))).toMatch(/^INVALID_OPTION/);
    expect(await codeOf(onnxBackbone(small, {}))).toMatch(/^INVALID_OPTION: .*preprocessing/);
    expect(await codeOf(onnxBackbone(small, { preprocessing: PRE, layout: 'chw' as 'nchw' }))).toMatch(
      /^INVALID_OPTION/,
    );
    expect(await codeOf(() => configureOnnx({ numThreads: 0 }))).toMatch(/^INVALID_OPTION/);
    expect(await codeOf(() => configureOnnx({ executionProvider: 'cuda' as 'wasm' }))).toMatch(/^INVALID_OPTION/);
  });
});

describe('graft exports as ONNX backbones', () => {
  it('automatic feature pick on a float graph: the output of the last GlobalAveragePool, flattened', async () => {
    const b = await onnxBackbone(small, { preprocessing: PRE, layout: 'nhwc' });
    expect(b.featureShape).toEqual([2]);
    expect(await codeOf(onnxBackbone(small, { preprocessing: PRE, featureOutput: 'nope' }))).toMatch(
      /^ONNX_UNKNOWN_OUTPUT: .*"nope"/,
    );
    b.dispose?.();
  });

  it('a graph whose batch dimension is fixed at 1 runs larger batches one sample at a time', async () => {
    const net = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [6, 6, 3], filters: 3, kernelSize: 3, activation: 'relu' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 4 }),
      ],
    });
    const bytes = await exportOnnx({ net });
    const fixed = rewriteOnnx(bytes, decodeOnnx(bytes), { inputs: [{ name: 'input', dims: [1, 6, 6, 3] }] });
    const b = await onnxBackbone(fixed, { preprocessing: { size: [6, 6] }, layout: 'nhwc', featureOutput: 'output' });
    const x = tf.randomUniform([3, 6, 6, 3]);
    const want = net.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    const got = await b.extract(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(got.shape).toEqual([3, 4]);
    const diff = tf.max(tf.abs(tf.sub(got, want)));
    expect((await diff.data())[0]).toBeLessThan(1e-4);
    tf.dispose([x, want, got, diff]);
    b.dispose?.();
    net.dispose();
  });
});

describe('export errors', () => {
  it('a missing or unbuilt net -> INVALID_OPTION; a non-ONNX extractor -> ONNX_UNSUPPORTED_LAYER', async () => {
    expect(await codeOf(exportOnnx({ net: {} as tfl.LayersModel }))).toMatch(/^INVALID_OPTION/);
    const net = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 2 })] });
    const extractor = {
      kind: 'extractor',
      name: 'graph-model',
      inputShape: [4],
      featureShape: [4],
      frozenReason: '',
      extract: async (x: tf.Tensor) => x,
    } as ExtractorBackbone;
    expect(await codeOf(exportOnnx({ net, extractor }))).toMatch(/^ONNX_UNSUPPORTED_LAYER: .*graph-model/);
    net.dispose();
  });

  it('a head whose input does not match the ONNX backbone features -> ONNX_INPUT_MISMATCH', async () => {
    const b = await onnxBackbone(small, { preprocessing: PRE, layout: 'nhwc' });
    const head = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [5], units: 2 })] });
    expect(await codeOf(exportOnnx({ net: head, extractor: b }))).toMatch(/^ONNX_INPUT_MISMATCH: .*\[5\].*\[2\]/);
    head.dispose();
    b.dispose?.();
  });
});
