import { env, GraftError } from '@graftjs/core';
import { WASM_FILES } from './wasm-files';

/** The wasm backend's settings, on `env.backends.wasm`; read when the backend initialises. */
export interface WasmSettings {
  /**
   * Where the .wasm binaries are served from: a URL prefix (`'https://cdn.example/wasm/'`) or a map from file
   * name to URL. `undefined` (the default) uses the binaries shipped in @graftjs/backend-wasm, which bundlers
   * emit on their own; in Node tfjs reads them from disk.
   */
  paths: string | Partial<Record<(typeof WASM_FILES)[number], string>> | undefined;
  /**
   * `'auto'` (default): in browsers, threads where the page is cross-origin isolated (tfjs then runs half the
   * cores, at most 4), one thread otherwise; in Node, half the logical cores, 1 to 4 (so one thread on a 2-core
   * machine). `1`: always one thread. A larger number: that many threads where threads can run (in Node up to 8,
   * tfjs' pool; in browsers tfjs still caps it at half the cores). tfjs-backend-wasm itself never runs threads in
   * Node; graft starts its threaded module there (a worker script written once to the temp folder) and falls back
   * to one thread, saying why in `backends.list()`, when that cannot start.
   */
  threads: 'auto' | number;
  /** How long one initialisation attempt may take before it fails (or falls back to one thread). */
  initTimeoutMs: number;
}

declare module '@graftjs/core' {
  interface BackendSettings {
    wasm: WasmSettings;
  }
}

env.backends.wasm = { paths: undefined, threads: 'auto', initTimeoutMs: 30_000 };

function invalid(what: string, expected: string, got: unknown): GraftError {
  return new GraftError('INVALID_OPTION', `env.backends.wasm.${what} expects ${expected}, got ${JSON.stringify(got)}`);
}

function checkPaths(paths: unknown): void {
  if (paths === undefined || (typeof paths === 'string' && paths.length > 0)) return;
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) {
    throw invalid('paths', 'a URL prefix or a map from .wasm file name to URL', paths);
  }
  for (const [name, url] of Object.entries(paths)) {
    if (!(WASM_FILES as readonly string[]).includes(name))
      throw invalid('paths', `keys among ${WASM_FILES.join(', ')}`, name);
    if (typeof url !== 'string' || url.length === 0) throw invalid(`paths["${name}"]`, 'a non-empty URL', url);
  }
}

/** The settings as they stand now, validated: a bad value fails here, before any download starts. */
export function wasmSettings(): WasmSettings {
  const s = env.backends.wasm;
  checkPaths(s.paths);
  if (s.threads !== 'auto' && !(Number.isInteger(s.threads) && s.threads >= 1)) {
    throw invalid('threads', "'auto' or a positive integer", s.threads);
  }
  if (!(Number.isFinite(s.initTimeoutMs) && s.initTimeoutMs > 0)) {
    throw invalid('initTimeoutMs', 'a positive number of milliseconds', s.initTimeoutMs);
  }
  return s;
}

/**
 * Where the .wasm binaries are served from, for a custom CDN or server: a URL prefix or a map from file name
 * to URL. Same as setting `env.backends.wasm.paths`; call it before the backend initialises.
 */
export function configureWasm(paths: WasmSettings['paths']): void {
  checkPaths(paths);
  env.backends.wasm.paths = paths;
}
