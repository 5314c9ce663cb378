import { crossOriginIsolated, isBrowser, isNode, isWebWorker } from './runtime';

/**
 * Settings for one adapter, keyed by its registry name. Adapters add their own key by module augmentation,
 * so `env.backends.<name>` is typed once the adapter is imported:
 *
 * ```ts
 * declare module '@graftjs/core' { interface BackendSettings { myBackend: { threads: number } } }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by adapters through declaration merging
export interface BackendSettings {}

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** A key-value store for downloaded files (weights, models): the Cache API, a folder, or the app's own. */
export interface FileCache {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export interface Env {
  /** What runs here, detected once at import. */
  readonly runtime: {
    readonly isNode: boolean;
    readonly isBrowser: boolean;
    readonly isWebWorker: boolean;
    /** SharedArrayBuffer is usable (Node, or a cross-origin isolated page). */
    readonly crossOriginIsolated: boolean;
  };
  /** Per-adapter settings (binary locations, threads, init timeouts ...), keyed by registry name; see each adapter's docs. */
  backends: BackendSettings;
  /** Where downloaded files are cached in Node; `undefined` means `$GRAFT_CACHE_DIR`, else `~/.cache/graft`. */
  cacheDir: string | undefined;
  /**
   * A cache to use instead of the built-in ones (the Cache API in browsers, `cacheDir` in Node); `null` turns
   * caching off; `undefined` (the default) keeps the built-in ones.
   */
  cache: FileCache | null | undefined;
  /**
   * The store a streamed fit's feature pass fills: past `maxBytes` of features in memory (default 256 MiB), each
   * further batch spills to disk in Node (a temp folder under `cacheDir`, removed after the fit or at exit) or to
   * IndexedDB in browsers. `0` spills every batch; `Infinity` never spills (docs/scale.md).
   */
  featureStore: { maxBytes: number };
  /** How much graft prints through `console` (default 'warn'): 'silent' < 'error' < 'warn' < 'info' < 'debug'. */
  logLevel: LogLevel;
}

/** One settings object for the whole SDK, read at the moment each setting is needed. */
export const env: Env = {
  runtime: { isNode, isBrowser, isWebWorker, crossOriginIsolated: crossOriginIsolated() },
  backends: {} as BackendSettings,
  cacheDir: undefined,
  cache: undefined,
  featureStore: { maxBytes: 256 * 2 ** 20 },
  logLevel: 'warn',
};
