import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isGraftError } from '@graftjs/core';
import { type ExtractorBackbone, getRuntime } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, type OnnxBackbone, onnxBackbone } from '../src';
import { ASSETS, hasPythonOnnx, INT8_MODEL, maxAbsDiff, pythonCheck, runOnnx, seedWeights } from './helpers';

const present = existsSync(INT8_MODEL);
if (!present) console.warn(`[backend-onnx] ${INT8_MODEL} not found: ONNX backbone tests skipped`);

const PRE = {
  size: [224, 224] as [number, number],
  range: [0, 1] as [number, number],
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};

/** Decodes flower photos and applies the ImageNet preprocessing (what graft's pipeline does before extract). */
function flowerBatch(specs: [string, number][]): tf.Tensor4D {
  return tf.tidy(() => {
    const images = specs.map(([cls, index]) => {
      const dir = path.join(ASSETS, 'flowers', cls);
      const file = readdirSync(dir)
        .filter((f) => f.endsWith('.jpg'))
        .sort()[index];
      const img = jpeg.decode(readFileSync(path.join(dir, file)), { useTArray: true, formatAsRGBA: false });
      const x = tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 3]);
      return tf.div(tf.sub(tf.div(tf.image.resizeBilinear(x, PRE.size), 255), PRE.mean), PRE.std);
    });
    return tf.stack(images) as tf.Tensor4D;
  });
}

describe.skipIf(!present)('onnxBackbone: the int8 MobileNetV2 file', () => {
  let backbone: OnnxBackbone;
  let batch: tf.Tensor4D;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    backbone = await onnxBackbone(INT8_MODEL, { preprocessing: PRE });
    batch = flowerBatch([
      ['daisy', 0],
      ['roses', 1],
      ['sunflowers', 2],
    ]);
  });

  afterAll(() => {
    backbone?.dispose?.();
    batch?.dispose();
  });

  it('picks the 1280-d pooled features automatically and describes itself', () => {
    expect(backbone.kind).toBe('extractor');
    expect(backbone.name).toBe('mobilenetv2-12-int8');
    expect(backbone.inputShape).toEqual([224, 224, 3]);
    expect(backbone.featureShape).toEqual([1280]);
    expect(backbone.source?.format).toBe('onnx');
    expect(backbone.source?.layout).toBe('nchw');
    expect(backbone.source?.inputName).toBe('input');
    expect(backbone.frozenReason).toMatch(/gradients/);
  });

  it('extracts a batch of 3 flower photos to [3, 1280] distinct features, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const features = await backbone.extract(batch);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(features.shape).toEqual([3, 1280]);
    const f = (await features.array()) as number[][];
    features.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const row of f) {
      expect(row.every(Number.isFinite)).toBe(true);
      expect(Math.max(...row)).toBeGreaterThan(0);
    }
    expect(maxAbsDiff(f[0], f[1])).toBeGreaterThan(0.1);
    // the batch path equals one-at-a-time
    const one = tf.slice(batch, [1, 0, 0, 0], [1, 224, 224, 3]);
    const single = await backbone.extract(one);
    expect(maxAbsDiff(await single.data(), f[1])).toBeLessThan(1e-5);
    tf.dispose([one, single]);
  });

  it('a named graph output works: the logits rank the daisy photo as "daisy" (ImageNet 985)', async () => {
    const logits = await onnxBackbone(readFileSync(INT8_MODEL), {
      preprocessing: PRE,
      featureOutput: 'output',
      name: 'mnv2-logits',
    });
    expect(logits.featureShape).toEqual([1000]);
    const daisy = tf.slice(batch, [0, 0, 0, 0], [1, 224, 224, 3]);
    const out = await logits.extract(daisy);
    const top = tf.argMax(out, -1);
    expect((await top.data())[0]).toBe(985);
    tf.dispose([daisy, out, top]);
    logits.dispose?.();
  });

  it('a named feature output that does not exist fails with ONNX_UNKNOWN_OUTPUT', async () => {
    const err = await onnxBackbone(INT8_MODEL, { preprocessing: PRE, featureOutput: 'no_such_tensor' }).catch((e) => e);
    expect(isGraftError(err, 'ONNX_UNKNOWN_OUTPUT')).toBe(true);
    expect(err.message).toContain('no_such_tensor');
    expect(err.message).toContain('"output"');
  });

  it('a quantized (uint8) feature tensor is refused with a hint', async () => {
    const err = await onnxBackbone(INT8_MODEL, { preprocessing: PRE, featureOutput: '464_quantized' }).catch((e) => e);
    expect(isGraftError(err, 'INVALID_OPTION')).toBe(true);
    expect(err.message).toMatch(/uint8.*float32/);
  });

  it('input shapes that do not match the graph fail with ONNX_INPUT_MISMATCH', async () => {
    const small = tf.zeros([1, 100, 100, 3]);
    const e1 = await backbone.extract(small).catch((e) => e);
    small.dispose();
    expect(isGraftError(e1, 'ONNX_INPUT_MISMATCH')).toBe(true);
    expect(e1.message).toContain('[N, 224, 224, 3]');
    expect(e1.message).toContain('[1, 100, 100, 3]');
    const e2 = await onnxBackbone(INT8_MODEL, { preprocessing: { ...PRE, size: [160, 160] } }).catch((e) => e);
    expect(isGraftError(e2, 'ONNX_INPUT_MISMATCH')).toBe(true);
    expect(e2.message).toContain('160');
    const e3 = await onnxBackbone(INT8_MODEL, { preprocessing: PRE, inputName: 'images' }).catch((e) => e);
    expect(isGraftError(e3, 'ONNX_INPUT_MISMATCH')).toBe(true);
    expect(e3.message).toContain('"input"');
  });

  it('loads from a URL (loopback server)', async () => {
    const bytes = readFileSync(INT8_MODEL);
    const server: Server = createServer((req, res) => {
      if (req.url === '/m.onnx') res.end(bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const err = await onnxBackbone(`http://127.0.0.1:${port}/missing.onnx`, { preprocessing: PRE }).catch((e) => e);
      expect(isGraftError(err, 'LOAD_FAILED')).toBe(true);
      const fromUrl = await onnxBackbone(`http://127.0.0.1:${port}/m.onnx`, { preprocessing: PRE });
      expect(fromUrl.featureShape).toEqual([1280]);
      fromUrl.dispose?.();
    } finally {
      server.close();
    }
  });

  it('hybrid export: backbone + tfjs head in one ONNX file, equal to extract + predict within 1e-4', async () => {
    const head = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [1280], units: 8, activation: 'relu' }),
        tfl.layers.dense({ units: 5, activation: 'softmax' }),
      ],
    });
    seedWeights(head, 5);
    const features = await backbone.extract(batch);
    const expected = head.predict(features) as tf.Tensor;
    const want = await expected.data();
    tf.dispose([features, expected]);

    const bytes = await exportOnnx({
      net: head,
      extractor: backbone,
      classNames: ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips'],
    });
    expect(bytes.length).toBeLessThan(readFileSync(INT8_MODEL).length); // the unused classifier was pruned
    const got = await runOnnx(bytes, (await batch.data()) as Float32Array, batch.shape);
    expect(got.dims).toEqual([3, 5]);
    expect(maxAbsDiff(got.data, want)).toBeLessThan(1e-4);
    if (hasPythonOnnx()) expect(pythonCheck({ hybrid: bytes })).toEqual([]);
    head.dispose();
  });

  it('a named NCHW feature map comes back NHWC; joined to a conv head it exports as one file, also via the runtime', async () => {
    // "627" is the dequantized last feature map [N, 1280, 7, 7] in the file
    const maps = await onnxBackbone(INT8_MODEL, { preprocessing: PRE, featureOutput: '627', name: 'mnv2-maps' });
    expect(maps.featureShape).toEqual([7, 7, 1280]);
    const two = tf.slice(batch, [0, 0, 0, 0], [2, 224, 224, 3]);
    const m = await maps.extract(two);
    const pooled = tf.mean(m, [1, 2]);
    const auto = await backbone.extract(two);
    // the file's own int8 global pooling vs the mean of the float map: equal up to quantization
    expect(maxAbsDiff(await pooled.data(), await auto.data())).toBeLessThan(0.1);

    const head = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [7, 7, 1280], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    seedWeights(head, 6);
    const expected = head.predict(m) as tf.Tensor;
    const want = await expected.data();
    const bytes = await exportOnnx({ net: head, extractor: maps });
    const got = await runOnnx(bytes, (await two.data()) as Float32Array, two.shape);
    expect(maxAbsDiff(got.data, want)).toBeLessThan(1e-4);

    const prepared = await getRuntime('onnx')!.prepare({ net: head, extractor: maps });
    const before = tf.memory().numTensors;
    const viaRuntime = await prepared.run(two);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(maxAbsDiff(await viaRuntime.data(), want)).toBeLessThan(1e-4);
    await prepared.dispose();
    tf.dispose([two, m, pooled, auto, expected, viaRuntime]);
    head.dispose();
    maps.dispose?.();
  });
});
