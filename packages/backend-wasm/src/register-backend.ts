import { backends, env } from '@graftjs/core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

let configuredPaths: string | Record<string, string> | null = null;

/**
 * Where the .wasm binaries are served from, for bundlers. In Node nothing is needed: tfjs finds them
 * next to its own files. With Vite: `import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'`
 * and pass `{ 'tfjs-backend-wasm-simd.wasm': simd, ... }`.
 */
export function configureWasm(paths: string | Record<string, string>): void {
  configuredPaths = paths;
  setWasmPaths(paths as never);
}

async function simdSupported(): Promise<boolean> {
  try {
    return Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  } catch {
    return false;
  }
}

async function threadsSupported(): Promise<boolean> {
  try {
    return Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  } catch {
    return false;
  }
}

let info = 'SIMD/threads detected at init';

/** Which binary and how many threads the wasm backend runs, once initialised. */
export function wasmInfo(): string {
  return info;
}

backends.register('wasm', {
  priority: 2,
  capabilities: { train: true, inference: true, float32: true, hostMemory: 'copied' },
  isAvailable() {
    if (typeof WebAssembly !== 'object') return 'WebAssembly is not available in this environment';
    if (
      !env.runtime.isNode &&
      configuredPaths === null &&
      typeof location !== 'undefined' &&
      location.protocol.startsWith('http')
    ) {
      // Bundlers rewrite module URLs; without configured paths tfjs asks the page for the binary.
      return true;
    }
    return true;
  },
  async init() {
    // setBackend resolves false (it does not throw) when the .wasm binary cannot be loaded
    if (!(await tf.setBackend('wasm'))) {
      throw new Error(
        `tfjs-backend-wasm failed to initialise (is the .wasm binary served where configureWasm points${configuredPaths ? `: ${JSON.stringify(configuredPaths)}` : ''}?)`,
      );
    }
    await tf.ready();
    const simd = await simdSupported();
    const threads = await threadsSupported();
    const binary = simd
      ? threads
        ? 'tfjs-backend-wasm-threaded-simd.wasm'
        : 'tfjs-backend-wasm-simd.wasm'
      : 'tfjs-backend-wasm.wasm';
    info = `${binary}, ${threads ? 'multi-threaded' : '1 thread'}`;
  },
  describe: () => info,
});
