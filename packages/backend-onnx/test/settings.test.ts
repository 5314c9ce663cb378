import { backends, env, isGraftError } from '@graftjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { configureOnnx } from '../src';
import { loadedOrt } from '../src/runtime/load-ort';

describe('onnx settings and loading', () => {
  afterAll(async () => {
    await backends.use('cpu');
  });

  it('does not load onnxruntime-web on import, only when onnx is first used', async () => {
    expect(loadedOrt()).toBeUndefined();
    expect((await backends.list()).find((b) => b.name === 'onnx')?.reason).toContain('loaded on first use');
    await backends.use('onnx');
    expect(loadedOrt()?.ort.InferenceSession).toBeTypeOf('function');
    expect(backends.current()?.reason).toMatch(/onnxruntime-(node|web) \d+\.\d+/);
  });

  it('configureOnnx writes env.backends.onnx, and a bad value changes nothing', () => {
    configureOnnx({ numThreads: 2 });
    expect(env.backends.onnx.numThreads).toBe(2);
    let caught: unknown;
    try {
      configureOnnx({ numThreads: 3, executionProvider: 'cuda' as 'wasm' });
    } catch (e) {
      caught = e;
    }
    expect(isGraftError(caught, 'INVALID_OPTION')).toBe(true);
    expect(env.backends.onnx.numThreads).toBe(2);
    expect(env.backends.onnx.executionProvider).toBe('wasm');
  });
});
