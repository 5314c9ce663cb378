import { env, GraftError } from '@graftjs/core';
import type * as Ort from 'onnxruntime-web';
import { type WebBuild, webBuild } from './web-build';

/** The API both runtimes share (onnxruntime-common's InferenceSession, Tensor, env). */
export type OrtModule = typeof Ort;
export type OrtKind = 'native' | 'web';

/** The runtime graft runs sessions on, and why it was picked (shown by `backends.list()`). */
export interface ChosenOrt {
  ort: OrtModule;
  kind: OrtKind;
  version: string;
  reason: string;
  /** Cores this process may use (native only: its default intra-op thread count). */
  cores?: number;
  /** Which onnxruntime-web build (web only). */
  build?: WebBuild;
}

/** Imports onnxruntime-node, or says why it cannot be used. */
export type NativeImporter = () => Promise<unknown>;

// A variable specifier keeps bundlers from following the Node-only (and optional) package.
const NATIVE_PACKAGE = 'onnxruntime-node';
const importNative: NativeImporter = () => import(/* @vite-ignore */ NATIVE_PACKAGE);
const OS = 'node:os';

async function coreCount(): Promise<number> {
  const os: typeof import('node:os') = await import(/* @vite-ignore */ OS);
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const webLoading = new Map<WebBuild, Promise<OrtModule>>();
let nativeLoading: Promise<OrtModule | string> | null = null;
let chosen: ChosenOrt | undefined;

// Literal specifiers, so bundlers emit each build (and its .wasm) in a chunk of its own; in Node "onnxruntime-web"
// resolves to its Node build, which runs the same binary as the wasm-only build.
const WEB_IMPORTS: Record<WebBuild, () => Promise<OrtModule>> = {
  node: () => import('onnxruntime-web'),
  jsep: () => import('onnxruntime-web'),
  wasm: () => import('onnxruntime-web/wasm'),
};

/**
 * onnxruntime-web, imported on first use: an app that never runs an ONNX session never downloads its
 * JavaScript or its WebAssembly (bundlers put the dynamic import in a chunk of its own).
 */
function loadWeb(build: WebBuild): Promise<OrtModule> {
  let loading = webLoading.get(build);
  if (!loading) {
    loading = WEB_IMPORTS[build]().catch((e) => {
      webLoading.delete(build);
      throw e;
    });
    webLoading.set(build, loading);
  }
  return loading;
}

function notInstalled(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** onnxruntime-node's module, or the reason it is not used (not installed, or its binary failed to load). */
function loadNative(importer: NativeImporter): Promise<OrtModule | string> {
  nativeLoading ??= importer().then(
    (m) => {
      const named = m as Partial<OrtModule> & { default?: OrtModule };
      const ort = (named.InferenceSession ? named : named.default) as OrtModule;
      return typeof ort?.InferenceSession?.create === 'function' ? ort : 'onnxruntime-node has no InferenceSession';
    },
    (e) =>
      notInstalled(e)
        ? 'onnxruntime-node is not installed (an optional peer dependency)'
        : `onnxruntime-node failed to load: ${(e as Error).message}`,
  );
  return nativeLoading;
}

/**
 * The runtime for the next session, following `env.backends.onnx.runtime`: native when asked or (auto) when
 * onnxruntime-node loads in Node, else onnxruntime-web.
 */
export async function loadOrt(importer: NativeImporter = importNative): Promise<ChosenOrt> {
  const wanted = env.backends.onnx.runtime;
  let why: string;
  if (wanted === 'web') {
    why = "configureOnnx({ runtime: 'web' }) chose it";
  } else if (!env.runtime.isNode) {
    if (wanted === 'native') {
      throw new GraftError('BACKEND_UNAVAILABLE', "configureOnnx({ runtime: 'native' }) needs Node, this is not Node");
    }
    why = 'not Node, so no onnxruntime-node';
  } else {
    const native = await loadNative(importer);
    if (typeof native !== 'string') {
      const version = native.env.versions?.node ?? '?';
      chosen = { ort: native, kind: 'native', version, reason: 'onnxruntime-node found', cores: await coreCount() };
      return chosen;
    }
    if (wanted === 'native') {
      throw new GraftError('BACKEND_UNAVAILABLE', `configureOnnx({ runtime: 'native' }) asked for it, but ${native}`);
    }
    why = native;
  }
  const s = env.backends.onnx;
  const { build, why: buildWhy } = webBuild({
    isNode: env.runtime.isNode,
    executionProvider: s.executionProvider,
    wasmPaths: s.wasmPaths,
  });
  const ort = await loadWeb(build);
  chosen = { ort, kind: 'web', version: ort.env.versions?.web ?? '?', reason: `${why}; ${buildWhy}`, build };
  return chosen;
}

/** The runtime last picked, if a session has been created (for synchronous status text). */
export function loadedOrt(): ChosenOrt | undefined {
  return chosen;
}

/** Forgets a failed or stand-in native import (tests swap the importer). */
export function resetNativeImport(): void {
  nativeLoading = null;
}
