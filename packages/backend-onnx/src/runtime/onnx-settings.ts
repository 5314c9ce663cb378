import { env, GraftError } from '@graftjs/core';
import type { OrtModule } from './load-ort';

/** The onnx backend's settings, on `env.backends.onnx`; applied before each session is created. */
export interface OnnxSettings {
  /**
   * Where the ort-wasm*.wasm/.mjs files are served from (a URL prefix or a file map). `undefined` (default):
   * where the bundler emitted them, or the package folder in Node.
   */
  wasmPaths: string | Record<string, string> | undefined;
  /** WebAssembly threads (`undefined`: onnxruntime's choice; 1 disables the worker pool). */
  numThreads: number | undefined;
  /**
   * 'webgpu' asks for the WebGPU execution provider (browsers with navigator.gpu), falling back to
   * wasm when a session cannot use it. Default 'wasm'.
   */
  executionProvider: 'wasm' | 'webgpu';
}

/** What configureOnnx accepts: any subset of the settings. */
export type OnnxOptions = Partial<OnnxSettings>;

declare module '@graftjs/core' {
  interface BackendSettings {
    onnx: OnnxSettings;
  }
}

env.backends.onnx = { wasmPaths: undefined, numThreads: undefined, executionProvider: 'wasm' };

function check(options: OnnxOptions): void {
  const { numThreads, executionProvider } = options;
  if (numThreads !== undefined && !(Number.isInteger(numThreads) && numThreads >= 1)) {
    throw new GraftError('INVALID_OPTION', `numThreads must be a positive integer, got ${String(numThreads)}`);
  }
  if (executionProvider !== undefined && executionProvider !== 'wasm' && executionProvider !== 'webgpu') {
    throw new GraftError(
      'INVALID_OPTION',
      `executionProvider must be "wasm" or "webgpu", got ${JSON.stringify(executionProvider)}`,
    );
  }
}

/** Configures onnxruntime-web for every session graft creates afterwards (same as setting `env.backends.onnx`). */
export function configureOnnx(options: OnnxOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `configureOnnx expects an options object, got ${String(options)}`);
  }
  check(options);
  const s = env.backends.onnx;
  if (options.wasmPaths !== undefined) s.wasmPaths = options.wasmPaths;
  if (options.numThreads !== undefined) s.numThreads = options.numThreads;
  if (options.executionProvider !== undefined) s.executionProvider = options.executionProvider;
}

/** Hands the settings to onnxruntime (which reads them when its wasm first initialises). */
export function applyOnnxSettings(ort: OrtModule): void {
  const s = env.backends.onnx;
  check(s);
  if (s.wasmPaths !== undefined) ort.env.wasm.wasmPaths = s.wasmPaths;
  if (s.numThreads !== undefined) ort.env.wasm.numThreads = s.numThreads;
}

export function executionProviders(): string[] {
  const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  return env.backends.onnx.executionProvider === 'webgpu' && gpu ? ['webgpu', 'wasm'] : ['wasm'];
}
