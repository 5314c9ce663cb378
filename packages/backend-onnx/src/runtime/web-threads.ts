/** What decides onnxruntime-web's thread count when `numThreads` is not set. */
export interface ThreadContext {
  isNode: boolean;
  crossOriginIsolated: boolean;
  /** navigator.hardwareConcurrency (undefined where the browser hides it). */
  cores: number | undefined;
}

/** More threads than this gains little on MobileNet-sized graphs and takes cores from the page's own work. */
export const MAX_WEB_THREADS = 4;

/**
 * onnxruntime-web's threads when the app set none: in a browser, one per core up to 4 when the page is
 * cross-origin isolated (threads need SharedArrayBuffer), else 1. onnxruntime-web's own default is half the
 * cores, which is 1 thread on a 2-core machine. `undefined` in Node: onnxruntime's choice stays.
 */
export function defaultWebThreads(c: ThreadContext): number | undefined {
  if (c.isNode) return undefined;
  if (!c.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(MAX_WEB_THREADS, Math.floor(c.cores ?? 1)));
}

/** The context of this page or worker. */
export function threadContextHere(isNode: boolean, crossOriginIsolated: boolean): ThreadContext {
  const cores = typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency;
  return { isNode, crossOriginIsolated, cores };
}

/** Why onnxruntime-web runs the threads it does, for `backends.list()`. */
export function webThreadsWhy(configured: number | undefined, c: ThreadContext): string {
  if (configured !== undefined) return 'configureOnnx numThreads';
  if (c.isNode) return "onnxruntime's default";
  if (!c.crossOriginIsolated) return 'the page is not cross-origin isolated (threads need COOP/COEP)';
  return `cross-origin isolated, ${c.cores ?? '?'} cores, at most ${MAX_WEB_THREADS}`;
}
