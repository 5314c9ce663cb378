import { existsSync, readFileSync } from 'node:fs';
import { backends, env, isGraftError } from '@graftjs/core';
import { getRuntime } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureOnnx, onnxBackbone } from '../src';
import { loadOrt, resetNativeImport } from '../src/runtime/load-ort';
import { nativeSessionOptions } from '../src/runtime/onnx-settings';
import { INT8_MODEL, maxAbsDiff, NATIVE_INSTALLED, randomArray, seedWeights } from './helpers';

const PRE = {
  size: [224, 224] as [number, number],
  range: [0, 1] as [number, number],
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};
const int8 = existsSync(INT8_MODEL);
if (!int8) console.warn(`[backend-onnx] ${INT8_MODEL} not found: native vs web parity on it skipped`);

const missing = () =>
  Promise.reject(Object.assign(new Error("Cannot find package 'onnxruntime-node'"), { code: 'ERR_MODULE_NOT_FOUND' }));

afterEach(() => {
  configureOnnx({ runtime: 'auto' });
  resetNativeImport();
});

describe('choosing the ONNX Runtime', () => {
  it.skipIf(!NATIVE_INSTALLED)('auto picks onnxruntime-node in Node when installed, with the reason', async () => {
    const chosen = await loadOrt();
    expect(chosen.kind).toBe('native');
    expect(chosen.version).toMatch(/^1\.30\./);
    expect(chosen.reason).toBe('onnxruntime-node found');
    await backends.use('onnx');
    expect(backends.current()?.reason).toMatch(
      /onnxruntime-node 1\.30\.\d+ \(cpu, \d+ threads\): onnxruntime-node found/,
    );
    await backends.use('cpu');
  });

  it("runtime 'web' forces onnxruntime-web and says so", async () => {
    configureOnnx({ runtime: 'web' });
    const chosen = await loadOrt();
    expect(chosen.kind).toBe('web');
    expect(chosen.reason).toContain("runtime: 'web'");
  });

  it('without onnxruntime-node, auto falls back to web with the reason, and native is refused', async () => {
    resetNativeImport();
    const chosen = await loadOrt(missing);
    expect(chosen.kind).toBe('web');
    expect(chosen.reason).toMatch(/onnxruntime-node is not installed/);
    configureOnnx({ runtime: 'native' });
    resetNativeImport();
    const err = await loadOrt(missing).catch((e) => e);
    expect(isGraftError(err, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/runtime: 'native'.*not installed/);
  });

  it('bad runtime and nativeThreads values fail with INVALID_OPTION and change nothing', () => {
    configureOnnx({ nativeThreads: 2 });
    const before = { ...env.backends.onnx };
    for (const bad of [
      { runtime: 'gpu' },
      { nativeThreads: 0 },
      { nativeThreads: 1.5 },
      { runtime: 'web', nativeThreads: -1 },
    ]) {
      let caught: unknown;
      try {
        configureOnnx(bad as never);
      } catch (e) {
        caught = e;
      }
      expect(isGraftError(caught, 'INVALID_OPTION')).toBe(true);
      expect((caught as Error).message).toMatch(/runtime must be|nativeThreads must be/);
      expect(env.backends.onnx).toEqual(before);
    }
    configureOnnx({ nativeThreads: undefined });
    env.backends.onnx.nativeThreads = undefined;
  });
});

describe('intra-op spinning of onnxruntime-node', () => {
  afterEach(() => configureOnnx({ nativeSpinning: false }));

  it('is off by default and on when asked, in the options every native session gets', () => {
    expect(env.backends.onnx.nativeSpinning).toBe(false);
    expect(nativeSessionOptions(2).extra.session.intra_op.allow_spinning).toBe('0');
    configureOnnx({ nativeSpinning: true });
    const on = nativeSessionOptions(2);
    expect(on.extra.session.intra_op.allow_spinning).toBe('1');
    expect(on.intraOpNumThreads).toBe(2);
  });

  it('a value that is not a boolean fails with INVALID_OPTION and changes nothing', () => {
    const before = { ...env.backends.onnx };
    for (const bad of ['0', 1, null]) {
      let caught: unknown;
      try {
        configureOnnx({ nativeSpinning: bad as never });
      } catch (e) {
        caught = e;
      }
      expect(isGraftError(caught, 'INVALID_OPTION')).toBe(true);
      expect((caught as Error).message).toMatch(/nativeSpinning must be true or false, got/);
      expect(env.backends.onnx).toEqual(before);
    }
  });

  it.skipIf(!NATIVE_INSTALLED || !int8)(
    'onnxruntime-node runs with spinning on and off, same features, no leaks',
    async () => {
      const bytes = new Uint8Array(readFileSync(INT8_MODEL));
      const x = tf.tensor4d(randomArray(224 * 224 * 3, 5, 0, 255), [1, 224, 224, 3]);
      const before = tf.memory().numTensors;
      const outs: Float32Array[] = [];
      for (const spin of [false, true]) {
        configureOnnx({ nativeSpinning: spin, runtime: 'native' });
        const base = await onnxBackbone(bytes, { preprocessing: PRE });
        const f = await base.extract(x);
        outs.push((await f.data()) as Float32Array);
        tf.dispose(f);
        base.dispose?.();
      }
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      expect(outs[0].length).toBe(1280);
      expect(maxAbsDiff(outs[0], outs[1])).toBe(0);
    },
  );
});

describe.skipIf(!NATIVE_INSTALLED)('native and web give the same results', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await backends.use('cpu');
  });

  it.skipIf(!int8)(
    'the int8 MobileNetV2 backbone: features agree, the cache through it runs native, no leaks',
    async () => {
      const bytes = new Uint8Array(readFileSync(INT8_MODEL));
      const native = await onnxBackbone(bytes, { preprocessing: PRE });
      configureOnnx({ runtime: 'web' });
      const web = await onnxBackbone(bytes, { preprocessing: PRE });
      expect(native.frozenReason).toContain('onnxruntime-node');
      expect(web.frozenReason).toContain('onnxruntime-web');
      const x = tf.tensor(randomArray(2 * 224 * 224 * 3, 11, -2, 2), [2, 224, 224, 3]);
      const before = tf.memory().numTensors;
      const a = await native.extract(x);
      const b = await web.extract(x);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(a.shape).toEqual([2, 1280]);
      const [da, db] = [await a.data(), await b.data()];
      // int8 kernels differ (MLAS vs wasm) by at most a few quantisation steps on a few features
      const scale = Math.max(...Array.from(da, Math.abs));
      expect(maxAbsDiff(da, db)).toBeLessThan(0.05 * scale);
      tf.dispose([x, a, b]);
      expect(tf.memory().numTensors).toBe(before - 1);
      native.dispose?.();
      web.dispose?.();
    },
  );

  it('a model graft exported: predict on native equals web and tfjs within 1e-4', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 5, activation: 'softmax' }),
      ],
    });
    seedWeights(model, 3);
    const x = tf.tensor(randomArray(3 * 16 * 16 * 3, 4), [3, 16, 16, 3]);
    const want = await (model.predict(x) as tf.Tensor).data();
    const outs: Float32Array[] = [];
    for (const runtime of ['native', 'web'] as const) {
      configureOnnx({ runtime });
      const prepared = await getRuntime('onnx')!.prepare({ net: model });
      const y = await prepared.run(x);
      outs.push((await y.data()) as Float32Array);
      y.dispose();
      await prepared.dispose();
    }
    expect(maxAbsDiff(outs[0], want)).toBeLessThan(1e-4);
    expect(maxAbsDiff(outs[0], outs[1])).toBeLessThan(1e-4);
    x.dispose();
    model.dispose();
  });
});
