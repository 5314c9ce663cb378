import type * as Ort from 'onnxruntime-web';

export type OrtModule = typeof Ort;

let loading: Promise<OrtModule> | null = null;
let loaded: OrtModule | undefined;

/**
 * onnxruntime-web, imported on first use: an app that never runs an ONNX session never downloads its
 * JavaScript or its WebAssembly (bundlers put the dynamic import in a chunk of its own).
 */
export function loadOrt(): Promise<OrtModule> {
  loading ??= import('onnxruntime-web').then(
    (ort) => {
      loaded = ort;
      return ort;
    },
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** The module if it has been loaded already (for synchronous status text). */
export function loadedOrt(): OrtModule | undefined {
  return loaded;
}
