import { GraftError } from '@graftjs/core';
// The package root only: subpath imports (onnxruntime-web/wasm ...) do not resolve in Node.
import * as ort from 'onnxruntime-web';

export { ort };

export interface OnnxOptions {
  /** Where the ort-wasm*.wasm/.mjs files are served from (bundlers copy them; pass the URL prefix or a file map). */
  wasmPaths?: string | Record<string, string>;
  /** WebAssembly threads (default: onnxruntime's choice; 1 disables the worker pool). */
  numThreads?: number;
  /**
   * 'webgpu' asks for the WebGPU execution provider (browsers with navigator.gpu), falling back to
   * wasm when a session cannot use it. Default 'wasm'.
   */
  executionProvider?: 'wasm' | 'webgpu';
}

const settings: { executionProvider: 'wasm' | 'webgpu' } = { executionProvider: 'wasm' };

/** Configures onnxruntime-web for every session graft creates afterwards. */
export function configureOnnx(options: OnnxOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `configureOnnx expects an options object, got ${String(options)}`);
  }
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.numThreads !== undefined) {
    if (!Number.isInteger(options.numThreads) || options.numThreads < 1) {
      throw new GraftError(
        'INVALID_OPTION',
        `numThreads must be a positive integer, got ${String(options.numThreads)}`,
      );
    }
    ort.env.wasm.numThreads = options.numThreads;
  }
  if (options.executionProvider !== undefined) {
    if (options.executionProvider !== 'wasm' && options.executionProvider !== 'webgpu') {
      throw new GraftError(
        'INVALID_OPTION',
        `executionProvider must be "wasm" or "webgpu", got ${JSON.stringify(options.executionProvider)}`,
      );
    }
    settings.executionProvider = options.executionProvider;
  }
}

export function executionProviders(): string[] {
  const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  return settings.executionProvider === 'webgpu' && gpu ? ['webgpu', 'wasm'] : ['wasm'];
}

/** One InferenceSession; load failures become ONNX_INVALID_FILE with onnxruntime's reason. */
export async function createSession(bytes: Uint8Array, what: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: executionProviders(),
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new GraftError('ONNX_INVALID_FILE', `onnxruntime-web could not load ${what}: ${(e as Error).message}`);
  }
}
