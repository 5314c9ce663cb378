/** The three binaries tfjs-backend-wasm picks from (plain, SIMD, SIMD + threads). */
export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

export type WasmFile = (typeof WASM_FILES)[number];

/**
 * Where the binaries shipped next to this module are. The build copies them into dist/, and each is named
 * by a literal `new URL('./x.wasm', import.meta.url)`: the form Vite and webpack 5 recognise, emit and
 * rewrite with no configuration. In the CJS build `import.meta.url` is empty (Node reads files from disk).
 */
export function shippedWasmFiles(): Record<WasmFile, string> | undefined {
  if (typeof import.meta.url !== 'string') return undefined;
  return {
    'tfjs-backend-wasm.wasm': new URL('./tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('./tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('./tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}
