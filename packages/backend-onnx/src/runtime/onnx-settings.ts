import { describe, env, GraftError } from '@graftjs/core';
import type { OrtModule } from './load-ort';
import { defaultWebThreads, threadContextHere } from './web-threads';

/** The onnx backend's settings, on `env.backends.onnx`; applied before each session is created. */
export interface OnnxSettings {
  /**
   * Where the ort-wasm*.wasm/.mjs files are served from (a URL prefix or a file map). `undefined` (default):
   * where the bundler emitted them, or the package folder in Node.
   */
  wasmPaths: string | Record<string, string> | undefined;
  /**
   * onnxruntime-web's WebAssembly threads; 1 disables its worker pool. `undefined` (default): in a browser,
   * min(navigator.hardwareConcurrency, 4) when the page is cross-origin isolated (COOP/COEP, so
   * SharedArrayBuffer), else 1; in Node, onnxruntime's choice. Read when onnxruntime-web first initialises.
   */
  numThreads: number | undefined;
  /**
   * 'webgpu' asks for the WebGPU execution provider (browsers with navigator.gpu), falling back to
   * wasm when a session cannot use it. Default 'wasm'.
   */
  executionProvider: 'wasm' | 'webgpu';
  /**
   * Which ONNX Runtime runs sessions. 'auto' (default): onnxruntime-node in Node when it is installed (an
   * optional peer dependency: native threads and MLAS kernels), else onnxruntime-web. 'native' insists on
   * onnxruntime-node (BACKEND_UNAVAILABLE without it); 'web' always uses onnxruntime-web.
   */
  runtime: 'auto' | 'native' | 'web';
  /** onnxruntime-node intra-op threads (`undefined`: one per core). onnxruntime-web ignores it. */
  nativeThreads: number | undefined;
  /**
   * Whether onnxruntime-node's intra-op threads busy-wait for work between and after runs (onnxruntime's own
   * default). Default false: spinning threads compete with Node's JavaScript thread and other processes for the
   * cores, which on a shared 2-core machine made a 7 ms MobileNetV2 run take 26 to 71 ms (docs/benchmarks.md).
   */
  nativeSpinning: boolean;
}

/** What configureOnnx accepts: any subset of the settings. */
export type OnnxOptions = Partial<OnnxSettings>;

declare module '@graftjs/core' {
  interface BackendSettings {
    onnx: OnnxSettings;
  }
}

env.backends.onnx = {
  wasmPaths: undefined,
  numThreads: undefined,
  executionProvider: 'wasm',
  runtime: 'auto',
  nativeThreads: undefined,
  nativeSpinning: false,
};

const RUNTIMES = ['auto', 'native', 'web'];

function checkThreads(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new GraftError('INVALID_OPTION', `${name} must be a positive integer, got ${String(value)}`);
  }
}

function check(options: OnnxOptions): void {
  const { numThreads, nativeThreads, nativeSpinning, executionProvider, runtime } = options;
  checkThreads('numThreads', numThreads);
  checkThreads('nativeThreads', nativeThreads);
  if (nativeSpinning !== undefined && typeof nativeSpinning !== 'boolean') {
    throw new GraftError('INVALID_OPTION', `nativeSpinning must be true or false, got ${describe(nativeSpinning)}`);
  }
  if (runtime !== undefined && !RUNTIMES.includes(runtime)) {
    throw new GraftError('INVALID_OPTION', `runtime must be "auto", "native" or "web", got ${JSON.stringify(runtime)}`);
  }
  if (executionProvider !== undefined && executionProvider !== 'wasm' && executionProvider !== 'webgpu') {
    throw new GraftError(
      'INVALID_OPTION',
      `executionProvider must be "wasm" or "webgpu", got ${JSON.stringify(executionProvider)}`,
    );
  }
}

/** Configures ONNX Runtime (native or web) for every session graft creates afterwards (same as setting `env.backends.onnx`). */
export function configureOnnx(options: OnnxOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `configureOnnx expects an options object, got ${String(options)}`);
  }
  check(options);
  const s = env.backends.onnx;
  if (options.wasmPaths !== undefined) s.wasmPaths = options.wasmPaths;
  if (options.numThreads !== undefined) s.numThreads = options.numThreads;
  if (options.executionProvider !== undefined) s.executionProvider = options.executionProvider;
  if (options.runtime !== undefined) s.runtime = options.runtime;
  if (options.nativeThreads !== undefined) s.nativeThreads = options.nativeThreads;
  if (options.nativeSpinning !== undefined) s.nativeSpinning = options.nativeSpinning;
}

/** Hands the settings to onnxruntime-web (which reads them when its wasm first initialises). */
export function applyWebSettings(ort: OrtModule): void {
  const s = env.backends.onnx;
  check(s);
  if (s.wasmPaths !== undefined) ort.env.wasm.wasmPaths = s.wasmPaths;
  const threads =
    s.numThreads ?? defaultWebThreads(threadContextHere(env.runtime.isNode, env.runtime.crossOriginIsolated));
  if (threads !== undefined) ort.env.wasm.numThreads = threads;
}

export function executionProviders(): string[] {
  const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  return env.backends.onnx.executionProvider === 'webgpu' && gpu ? ['webgpu', 'wasm'] : ['wasm'];
}

/** onnxruntime-node's session options: MLAS on the CPU, every graph optimisation, threads as configured. */
export function nativeSessionOptions(cores: number): NativeSessionOptions {
  const s = env.backends.onnx;
  check(s);
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: s.nativeThreads ?? cores,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: s.nativeSpinning ? '1' : '0' } } },
  };
}

export interface NativeSessionOptions {
  executionProviders: string[];
  graphOptimizationLevel: 'all';
  intraOpNumThreads: number;
  interOpNumThreads: number;
  /** Session config entries: `session.intra_op.allow_spinning`. */
  extra: { session: { intra_op: { allow_spinning: '0' | '1' } } };
}
