import { describe, expect, it } from 'vitest';
import { webBuild } from '../src/runtime/web-build';

const browser = { isNode: false, executionProvider: 'wasm' as const, wasmPaths: undefined };

describe('which onnxruntime-web build runs the sessions (issue 17)', () => {
  it('the wasm execution provider gets the wasm-only build in a browser, whatever the URL prefix', () => {
    expect(webBuild(browser).build).toBe('wasm');
    expect(webBuild({ ...browser, wasmPaths: '/ort/' }).build).toBe('wasm');
    expect(webBuild({ ...browser, wasmPaths: { wasm: '/assets/ort-wasm-simd-threaded-Ab12Cd34.wasm' } }).build).toBe(
      'wasm',
    );
  });

  it("executionProvider 'webgpu' gets the WebGPU (JSEP) build", () => {
    const r = webBuild({ ...browser, executionProvider: 'webgpu' });
    expect(r).toEqual({ build: 'jsep', why: "executionProvider 'webgpu' needs the WebGPU build" });
  });

  it('an app that points wasmPaths.wasm at the JSEP binary keeps the build that binary belongs to', () => {
    for (const wasm of [
      '/assets/ort-wasm-simd-threaded.jsep.wasm',
      'https://cdn.example/ort-wasm-simd-threaded.jsep.wasm?v=1',
      // Vite's hashed copy (what `import url from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url'` gives)
      '/assets/ort-wasm-simd-threaded.jsep-Ab12Cd34.wasm',
    ]) {
      expect(webBuild({ ...browser, wasmPaths: { wasm } }).build, wasm).toBe('jsep');
    }
    // "jsep" in a folder name or a query says nothing about the binary
    for (const wasm of ['/jsep.builds/ort-wasm-simd-threaded.wasm', '/ort-wasm-simd-threaded.wasm?from=.jsep'])
      expect(webBuild({ ...browser, wasmPaths: { wasm } }).build, wasm).toBe('wasm');
  });

  it('Node keeps onnxruntime-web’s Node build (the same binary as the wasm-only build)', () => {
    expect(webBuild({ ...browser, isNode: true, executionProvider: 'webgpu' }).build).toBe('node');
  });
});
