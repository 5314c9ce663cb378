/**
 * Runtime detection, in one place. A browser or a web worker never counts as Node, even where a bundler
 * polyfills `process`: Electron's renderer and jsdom define both, and there the web APIs are the ones to use.
 */
export const isNode: boolean =
  typeof process !== 'undefined' &&
  typeof process.versions?.node === 'string' &&
  typeof (globalThis as { window?: unknown }).window === 'undefined';

/** A dedicated or shared web worker (no DOM, `importScripts` present). */
export const isWebWorker: boolean =
  typeof (globalThis as { importScripts?: unknown }).importScripts === 'function' &&
  typeof (globalThis as { document?: unknown }).document === 'undefined';

export const isBrowser: boolean =
  !isNode && (typeof (globalThis as { document?: unknown }).document !== 'undefined' || isWebWorker);

/** SharedArrayBuffer and a cross-origin isolated page: what WebAssembly threads need in a browser. */
export function crossOriginIsolated(): boolean {
  if (isNode) return typeof SharedArrayBuffer !== 'undefined';
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}
