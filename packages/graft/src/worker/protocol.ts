import type {
  BackendChoice,
  ClassWeight,
  FitSummary,
  Logs,
  loadModel,
  ProgressEvent,
  UnfreezeOptions,
} from '@graftjs/core';

/** tfjs model artifacts (topology + weight specs + weight bytes), typed from loadModel's handler so no tfjs import. */
export type IOHandlerLike = Exclude<Parameters<typeof loadModel>[0], string>;
export type ModelArtifacts = Awaited<ReturnType<NonNullable<IOHandlerLike['load']>>>;

/** Layer methods of `sequential()` a spec may call, with their arguments as given to the fluent method. */
export const SEQUENTIAL_LAYERS = [
  'flatten',
  'dense',
  'conv2d',
  'depthwiseConv2d',
  'maxPool2d',
  'avgPool2d',
  'globalAvgPool2d',
  'globalMaxPool2d',
  'batchNorm',
  'dropout',
  'activation',
  'reshape',
] as const;
export type SequentialLayerName = (typeof SEQUENTIAL_LAYERS)[number];

/** One fluent call: `{ layer: 'conv2d', args: [8, 3, { activation: 'relu' }] }` is `.conv2d(8, 3, { activation: 'relu' })`. */
export interface LayerSpec {
  layer: SequentialLayerName;
  args?: unknown[];
}

/** A model the worker builds: plain data, so it crosses postMessage. */
export type ModelSpec =
  | { kind: 'sequential'; inputShape: number[]; seed?: number; layers: LayerSpec[] }
  | {
      kind: 'transfer';
      /** A zoo catalogue name, e.g. 'mobilenet_v1_0.25_224'. */
      backbone: string;
      /** Where the worker reads the weights: an absolute URL, or file name -> bytes (dropped files). */
      from?: string | Record<string, ArrayBuffer>;
      /** Number of classes, or a classifier head with hidden layers / dropout. */
      head: number | { classes: number; hidden?: number[]; dropout?: number };
      seed?: number;
    }
  /** Keep training the model the worker trained last (fine-tuning: optionally re-open base layers first). */
  | { kind: 'continue'; unfreeze?: UnfreezeOptions | string[] };

/** Training data as typed arrays (their buffers are transferred, not copied, unless asked). */
export interface TrainingData {
  /** Samples, row-major, with their full shape [n, ...sample]. */
  x: { data: Float32Array | Uint8Array | Int32Array; shape: number[] };
  /** One class index or class name per sample. */
  y: Int32Array | Uint8Array | number[] | string[];
  classNames?: string[];
}

/** The fit options that can cross to the worker (callbacks and the signal stay on the calling side). */
export interface WorkerFitOptions {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  shuffle?: boolean;
  seed?: number;
  learningRate?: number;
  featureCache?: boolean;
  classNames?: string[];
  /** As fit's: a record of class -> weight or 'balanced' (plain data, so it crosses). */
  classWeight?: ClassWeight;
  earlyStopping?: boolean | { monitor?: string; patience?: number; minDelta?: number; mode?: 'auto' | 'min' | 'max' };
}

/** How often serveTraining says a request is still running. */
export const HEARTBEAT_MS = 2000;

export type ToWorker =
  | { type: 'backend'; id: number; name: string }
  | { type: 'fit'; id: number; spec: ModelSpec; data: TrainingData; options: WorkerFitOptions }
  | { type: 'abort'; id: number };

export interface FitDone {
  artifacts: ModelArtifacts;
  history: Record<string, number[]>;
  summary: FitSummary | null;
  classNames?: string[];
}

export type FromWorker =
  | { type: 'backend'; id: number; choice: BackendChoice }
  /** Sent on receipt and then every HEARTBEAT_MS while a request runs: silence means the worker is gone or hung. */
  | { type: 'working'; id: number }
  | { type: 'progress'; id: number; event: ProgressEvent }
  | { type: 'epoch'; id: number; epoch: number; logs: Logs }
  | { type: 'done'; id: number; result: FitDone }
  | { type: 'error'; id: number; code?: string; message: string };

/** What serveTraining needs from a worker global (or a MessagePort in tests). */
export interface MessageScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  start?(): void;
}

/** What WorkerTrainer needs from a Worker (or a MessagePort in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error', listener: (e: MessageEvent | ErrorEvent | Event) => void): void;
  removeEventListener?(type: 'message' | 'error', listener: (e: MessageEvent | ErrorEvent | Event) => void): void;
  start?(): void;
  terminate?(): void;
  close?(): void;
}
