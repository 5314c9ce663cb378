import { backends, ERROR_CODES, isGraftError } from '@graftjs/core';
import { errorCodes, getExporter, getRuntime } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportOnnx } from '../src';
import { loadOrt } from '../src/runtime/load-ort';
import { maxAbsDiff, NATIVE_INSTALLED, randomArray, seedWeights } from './helpers';

function smallConvNet(): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [8, 8, 3],
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      }),
      tfl.layers.batchNormalization({}),
      tfl.layers.globalAveragePooling2d({}),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  seedWeights(model, 9);
  return model;
}

describe('registration with core', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  afterAll(async () => {
    await backends.use('cpu');
  });

  it('registers one inference-only "onnx" entry with its runtime, its export format and its error codes', async () => {
    expect(getExporter('onnx')).toBe(exportOnnx);
    expect(getRuntime('onnx')).toBeDefined();
    const entry = backends.get('onnx');
    expect(entry?.capabilities).toEqual({ train: false, inference: true, float32: true, hostMemory: 'device' });
    expect(entry?.tfjsBackend).toBeNull();
    const listed = (await backends.list()).find((b) => b.name === 'onnx');
    expect(listed?.available).toBe(true);
    expect(listed?.exports).toEqual([{ format: 'onnx', extensions: ['.onnx'] }]);
    // the adapter's own error codes: known to errorCodes(), absent from core's list
    const own = ['ONNX_UNSUPPORTED_LAYER', 'ONNX_INVALID_FILE', 'ONNX_UNKNOWN_OUTPUT', 'ONNX_INPUT_MISMATCH'];
    expect(errorCodes()).toEqual(expect.arrayContaining(own));
    expect(ERROR_CODES.filter((c) => own.includes(c))).toEqual([]);
    const auto = await backends.use('auto');
    expect(auto.name).not.toBe('onnx');
    const chosen = await backends.use('onnx');
    // onnxruntime-node where it is installed (the repo's devDependency), else onnxruntime-web
    expect(chosen.reason).toContain(NATIVE_INSTALLED ? 'onnxruntime-node 1.' : 'onnxruntime-web 1.');
  });
});

describe('the "onnx" runtime', () => {
  let model: tfl.LayersModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = smallConvNet();
  });
  afterAll(() => model.dispose());

  it('exports once, builds one session, and matches tfjs predict within 1e-4 for batches 1 and 5', async () => {
    const create = vi.spyOn((await loadOrt()).ort.InferenceSession, 'create');
    const prepared = await getRuntime('onnx')!.prepare({ net: model });
    for (const n of [1, 5]) {
      const x = tf.tensor(randomArray(n * 8 * 8 * 3, n), [n, 8, 8, 3]);
      const expected = model.predict(x) as tf.Tensor;
      const before = tf.memory().numTensors;
      const got = await prepared.run(x);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(got.shape).toEqual([n, 3]);
      expect(maxAbsDiff(await got.data(), await expected.data())).toBeLessThan(1e-4);
      tf.dispose([x, expected, got]);
    }
    // concurrent calls are queued on the one session
    const xs = [1, 2, 3].map((n) => tf.tensor(randomArray(n * 192, 20 + n), [n, 8, 8, 3]));
    const outs = await Promise.all(xs.map((x) => prepared.run(x)));
    expect(outs.map((o) => o.shape[0])).toEqual([1, 2, 3]);
    tf.dispose([...xs, ...outs]);
    expect(create).toHaveBeenCalledTimes(1);
    create.mockRestore();
    await prepared.dispose();
  });

  it('a batch whose shape does not match the model fails with ONNX_INPUT_MISMATCH', async () => {
    const prepared = await getRuntime('onnx')!.prepare({ net: model });
    const x = tf.zeros([2, 8, 8, 1]);
    const err = await prepared.run(x).catch((e) => e);
    x.dispose();
    expect(isGraftError(err, 'ONNX_INPUT_MISMATCH')).toBe(true);
    expect(err.message).toContain('[N, 8, 8, 3]');
    await prepared.dispose();
  });
});
