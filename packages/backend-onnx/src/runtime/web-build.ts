/**
 * Which onnxruntime-web build runs graft's sessions. Its default import (`onnxruntime-web`) is, in browsers, the
 * WebGPU build (JSEP, `ort-wasm-simd-threaded.jsep.wasm`, 28 MB): on the CPU it ran MobileNetV2 at batch 16 1.08 to
 * 1.26x slower in Chromium than the wasm-only build (`onnxruntime-web/wasm`, `ort-wasm-simd-threaded.wasm`, 14 MB),
 * see docs/benchmarks.md. So the wasm execution provider gets the wasm-only build, unless the app points `wasmPaths`
 * at the JSEP binary (each build needs its own .wasm).
 */
export type WebBuild = 'node' | 'wasm' | 'jsep';

export interface BuildContext {
  isNode: boolean;
  executionProvider: 'wasm' | 'webgpu';
  wasmPaths: string | Record<string, string> | undefined;
}

/** The build for these settings and why (for `backends.list()`). */
export function webBuild(c: BuildContext): { build: WebBuild; why: string } {
  if (c.isNode) return { build: 'node', why: "onnxruntime-web's Node build" };
  if (c.executionProvider === 'webgpu')
    return { build: 'jsep', why: "executionProvider 'webgpu' needs the WebGPU build" };
  const file = typeof c.wasmPaths === 'object' ? c.wasmPaths.wasm : undefined;
  // the binary's own name, or a bundler's hashed copy of it ("ort-wasm-simd-threaded.jsep-Ab12Cd34.wasm")
  if (file !== undefined && /\.jsep\b[^/]*$/.test(file.split(/[?#]/)[0]))
    return { build: 'jsep', why: "wasmPaths.wasm is the WebGPU build's binary" };
  return { build: 'wasm', why: 'the wasm-only build' };
}
