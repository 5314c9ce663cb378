import { env } from '@graftjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { configureOnnx } from '../src';
import type { OrtModule } from '../src/runtime/load-ort';
import { applyWebSettings } from '../src/runtime/onnx-settings';
import { defaultWebThreads, webThreadsWhy } from '../src/runtime/web-threads';

const browser = (crossOriginIsolated: boolean, cores: number | undefined) => ({
  isNode: false,
  crossOriginIsolated,
  cores,
});

describe("onnxruntime-web's default threads (issue 17)", () => {
  afterEach(() => {
    env.backends.onnx.numThreads = undefined;
  });

  it('a cross-origin isolated page gets one thread per core, at most 4', () => {
    expect(defaultWebThreads(browser(true, 2))).toBe(2);
    expect(defaultWebThreads(browser(true, 3))).toBe(3);
    expect(defaultWebThreads(browser(true, 16))).toBe(4);
    expect(defaultWebThreads(browser(true, 1))).toBe(1);
    // a browser that hides hardwareConcurrency: no guess
    expect(defaultWebThreads(browser(true, undefined))).toBe(1);
  });

  it('a page without COOP/COEP gets 1 thread (no SharedArrayBuffer); Node keeps onnxruntime’s choice', () => {
    expect(defaultWebThreads(browser(false, 16))).toBe(1);
    expect(defaultWebThreads({ isNode: true, crossOriginIsolated: true, cores: 16 })).toBeUndefined();
  });

  it('configureOnnx({ numThreads }) overrides the default when the settings reach onnxruntime-web', () => {
    const ort = { env: { wasm: {} } } as unknown as OrtModule;
    applyWebSettings(ort);
    // this test runs in Node: the default leaves onnxruntime-web's own choice
    expect(ort.env.wasm.numThreads).toBeUndefined();
    configureOnnx({ numThreads: 3 });
    applyWebSettings(ort);
    expect(ort.env.wasm.numThreads).toBe(3);
  });

  it('backends.list() says why: the setting, the isolation, or its absence', () => {
    expect(webThreadsWhy(3, browser(true, 2))).toBe('configureOnnx numThreads');
    expect(webThreadsWhy(undefined, browser(true, 2))).toContain('cross-origin isolated, 2 cores');
    expect(webThreadsWhy(undefined, browser(false, 2))).toContain('not cross-origin isolated');
  });
});
