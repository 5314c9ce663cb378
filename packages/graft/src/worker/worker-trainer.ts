import {
  type BackendChoice,
  describe,
  type FitSummary,
  GraftError,
  type Logs,
  loadModel,
  type Model,
  type ProgressEvent,
} from '@graftjs/core';
import { fromArtifacts } from './artifacts';
import { checkData, checkSpec } from './check-spec';
import type {
  FromWorker,
  ModelArtifacts,
  ModelSpec,
  ToWorker,
  TrainingData,
  WorkerFitOptions,
  WorkerLike,
} from './protocol';
import { checkTimeouts, Requests, type WorkerTimeouts } from './requests';

export type { WorkerTimeouts } from './requests';

export interface WorkerTrainOptions extends WorkerFitOptions {
  onProgress?(event: ProgressEvent): void;
  onEpochEnd?(epoch: number, logs: Logs): void;
  /** Aborting stops the worker's fit at its next batch; the result holds the weights trained so far. */
  signal?: AbortSignal;
  /** Transfer the data's buffers to the worker (default true: no copy, but the arrays become empty here). */
  transfer?: boolean;
}

export interface WorkerTrainResult {
  artifacts: ModelArtifacts;
  history: Record<string, number[]>;
  summary: FitSummary | null;
  classNames?: string[];
  /** The trained model on this thread (its weights loaded from the artifacts), ready to predict and save. */
  load(): Promise<Model>;
}

/**
 * Trains in a module worker that runs `serveTraining()`: data and a model spec go in (buffers transferred),
 * progress events come out, the trained weights come back as tfjs artifacts. Keeps the page responsive.
 */
export class WorkerTrainer {
  private nextId = 1;
  private readonly requests: Requests;
  private fitting = false;

  /** `timeouts`: how long the worker may stay silent before a request fails with WORKER_TIMEOUT. */
  constructor(
    private readonly worker: WorkerLike,
    timeouts: WorkerTimeouts = {},
  ) {
    if (!worker || typeof worker.postMessage !== 'function' || typeof worker.addEventListener !== 'function') {
      throw new GraftError(
        'INVALID_OPTION',
        `expected a Worker (postMessage, addEventListener), got ${describe(worker)}`,
      );
    }
    this.requests = new Requests(worker, checkTimeouts(timeouts ?? {}));
    worker.addEventListener('message', (e) => this.requests.receive((e as MessageEvent).data as FromWorker));
    worker.addEventListener('error', (e) => {
      this.requests.failAll(new Error(`training worker failed: ${(e as ErrorEvent).message ?? 'unknown error'}`));
    });
    worker.start?.();
  }

  /** Chooses the worker's backend ('auto', 'webgpu', 'wasm', 'cpu'); resolves to its name and why. */
  async useBackend(name: string): Promise<BackendChoice> {
    if (typeof name !== 'string') {
      throw new GraftError('UNKNOWN_BACKEND', `expected a backend name as a string, got ${describe(name)}`);
    }
    const reply = await this.requests.send({ type: 'backend', id: this.nextId++, name }, []);
    return (reply as Extract<FromWorker, { type: 'backend' }>).choice;
  }

  /** Builds the spec's model in the worker and fits it on the data; one fit at a time per trainer. */
  async fit(spec: ModelSpec, data: TrainingData, options: WorkerTrainOptions = {}): Promise<WorkerTrainResult> {
    if (typeof options !== 'object' || options === null) {
      throw new GraftError('INVALID_OPTION', `expected fit options as an object, got ${describe(options)}`);
    }
    checkSpec(spec);
    checkData(data);
    if (this.fitting) throw new GraftError('FIT_IN_PROGRESS', 'this trainer is already fitting; await the running fit');
    const { onProgress, onEpochEnd, signal, transfer = true, ...fitOptions } = options;
    const id = this.nextId++;
    checkCloneable(fitOptions, 'fit options');
    const abort = () => {
      this.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
      this.requests.aborted(id);
    };
    this.fitting = true;
    try {
      const buffers = transfer ? [data.x.data.buffer as ArrayBuffer] : [];
      if (transfer && ArrayBuffer.isView(data.y)) buffers.push(data.y.buffer as ArrayBuffer);
      const y = ArrayBuffer.isView(data.y) ? data.y : [...data.y];
      const done = this.requests.send(
        { type: 'fit', id, spec, data: { ...data, y } as TrainingData, options: fitOptions },
        [...new Set(buffers)],
        (msg) => {
          if (msg.type === 'progress') onProgress?.(msg.event);
          else if (msg.type === 'epoch') onEpochEnd?.(msg.epoch, msg.logs);
        },
      );
      if (signal?.aborted) abort();
      signal?.addEventListener('abort', abort);
      const reply = (await done) as Extract<FromWorker, { type: 'done' }>;
      const { artifacts } = reply.result;
      return { ...reply.result, load: () => loadModel(fromArtifacts(artifacts)) };
    } finally {
      signal?.removeEventListener('abort', abort);
      this.fitting = false;
    }
  }

  /** Stops the worker (pending requests are rejected). */
  terminate(): void {
    this.requests.failAll(new Error('training worker terminated'));
    this.worker.terminate?.();
    this.worker.close?.();
  }
}

/** One-shot helper: a WorkerTrainer on `worker`, one fit. */
export async function trainInWorker(
  worker: WorkerLike,
  spec: ModelSpec,
  data: TrainingData,
  options: WorkerTrainOptions = {},
): Promise<WorkerTrainResult> {
  return new WorkerTrainer(worker).fit(spec, data, options);
}

/** Functions and symbols cannot cross postMessage: refused by path, before any data is sent. */
function checkCloneable(value: unknown, path: string): void {
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${path} as plain data that can cross to the worker, got ${describe(value)} (callbacks other than onProgress and onEpochEnd stay on this thread: drop it)`,
    );
  }
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return;
  for (const [k, v] of Object.entries(value)) checkCloneable(v, `${path}.${k}`);
}
