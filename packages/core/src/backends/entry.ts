import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ExtractorBackbone, Preprocessing } from '../transfer/backbone';

/** What an adapter can do; `backends.list()` shows these, and the loop, predict, export and save read them. */
export interface BackendCapabilities {
  /** Can run the training loop (gradients). `use('auto')` and `fit` require it. */
  train: boolean;
  /** Can run predictions. `predict({ backend })` requires it. */
  inference: boolean;
  /** Has float32 kernels. `use('auto')` picks only backends that train in float32. */
  float32: boolean;
  /**
   * Where the backend keeps tensor data: 'shared' when its arrays are host memory that JS reads without a copy
   * (plain JavaScript), 'copied' when a read copies out of host memory (a WebAssembly heap), 'device' when a read
   * is a download (GPU). The loop and predict batch on the host unless this is 'device'.
   */
  hostMemory: 'shared' | 'copied' | 'device';
}

/** What an exporter or an outside runtime receives: the trainable tfjs network plus what runs before it. */
export interface ExportSource {
  net: LayersModel;
  /** A frozen non-tfjs base whose features feed `net`, if any. */
  extractor?: ExtractorBackbone;
  preprocessing?: Preprocessing;
  classNames?: string[];
}

export type Exporter = (source: ExportSource) => Promise<Uint8Array>;

/** One export format an adapter writes: `model.export(format)`, and `model.save(path)` for the extensions. */
export interface ExportFormat {
  /** File extensions, lower case with the dot (e.g. ".pb"): a save to such a path writes this format. */
  extensions: readonly string[];
  run: Exporter;
}

/**
 * An inference runtime outside tfjs. `prepare` builds what it needs for one model once (a session);
 * `run` maps a float batch (already preprocessed) to the model's output.
 */
export interface InferenceRuntime {
  prepare(source: ExportSource): Promise<PreparedRuntime>;
}

export interface PreparedRuntime {
  run(batch: tf.Tensor): Promise<tf.Tensor>;
  dispose(): Promise<void> | void;
}

/** One adapter in the registry: a training backend, an inference runtime, an exporter, or several of these. */
export interface BackendEntry {
  /** Higher wins under `use('auto')`. */
  priority: number;
  capabilities: BackendCapabilities;
  /** Cheap feature detection; returns true or the reason it cannot run here. */
  isAvailable(): Promise<true | string> | true | string;
  /** Makes the backend active (for tfjs backends: `tf.setBackend`). */
  init(): Promise<void>;
  /** The tfjs backend that runs when this one is active (defaults to the name); null for one outside tfjs. */
  tfjsBackend?: string | null;
  /** Free text about what runs (binary, threads, adapter), shown by `list()` and `current()`. */
  describe?(): string;
  /** Predictions outside tfjs (needs `capabilities.inference`); tfjs backends predict through tfjs. */
  runtime?: InferenceRuntime;
  /** Export formats by name (e.g. { myformat: { extensions: ['.my'], run } }). */
  exports?: Readonly<Record<string, ExportFormat>>;
}

export interface BackendStatus {
  name: string;
  priority: number;
  capabilities: BackendCapabilities;
  /** Export formats with the file extensions each one claims. */
  exports: { format: string; extensions: string[] }[];
  available: boolean;
  /** Why it is unavailable, or what it runs when available. */
  reason: string;
  active: boolean;
}

export interface BackendChoice {
  name: string;
  /** One sentence a developer can log: what was chosen and why. */
  reason: string;
  /** Each backend tried before the chosen one, with why it was skipped. */
  skipped: { name: string; reason: string }[];
}
