import { backends } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { initWasm, wasmState } from './init-wasm';
import { silenceTfjsNodeBanner } from './node-hygiene';
import './settings';

// tfjs-backend-wasm registered its factory on import (through init-wasm's import); graft puts its own in
// front of it: zero-config file locations, the thread fallback and a bounded init, for graft's registry and
// for a direct tf.setBackend('wasm') alike.
const TFJS_WASM_PRIORITY = 2;
const stock = tf.findBackendFactory('wasm') as (() => Promise<tf.KernelBackend>) | null;
if (stock === null) throw new Error('@graftjs/backend-wasm: tfjs-backend-wasm registered no "wasm" backend');
tf.removeBackend('wasm');
tf.registerBackend('wasm', () => initWasm(stock), TFJS_WASM_PRIORITY);
silenceTfjsNodeBanner();

/** Which binary and how many threads the wasm backend runs (and why), once initialised. */
export function wasmInfo(): string {
  return wasmState.info;
}

backends.register('wasm', {
  priority: 2,
  capabilities: { train: true, inference: true, float32: true, hostMemory: 'copied' },
  isAvailable: () => (typeof WebAssembly === 'object' ? true : 'WebAssembly is not available in this environment'),
  async init() {
    const before = tf.getBackend();
    // setBackend resolves false (it does not throw) when the factory rejects; wasmState says why
    if (!(await tf.setBackend('wasm'))) {
      // tfjs would stay on a backend that has no instance; keep running where we were
      if (before && before !== 'wasm') await tf.setBackend(before);
      throw new Error(wasmState.failure ?? 'tfjs-backend-wasm failed to initialise');
    }
    await tf.ready();
  },
  describe: () => wasmState.info,
});
