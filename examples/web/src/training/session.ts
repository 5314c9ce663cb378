import {
  type BackendChoice,
  backends,
  type ClassPrediction,
  type Logs,
  loadModel,
  type Model,
  type ProgressEvent,
  WorkerTrainer,
} from 'graftjs';
import { cnnSpec, encode, inputSize, type ModelKind, mobilenetSpec } from './model-kinds';
import { type LabelledClass, trainingData } from './training-data';

export interface TrainCallbacks {
  onProgress(e: ProgressEvent): void;
  onEpochEnd(epoch: number, logs: Logs): void;
}

const STORE = 'indexeddb://graft-example';
const KIND_KEY = 'graft-example-kind';

/**
 * What the page trains and predicts with: a WorkerTrainer (training runs off the main thread) and, once
 * trained or loaded, the model on the page for prediction, saving and export.
 */
export class Session {
  model: Model | null = null;
  kind: ModelKind = 'cnn';
  private trainer: WorkerTrainer | null = null;
  private backend = 'auto';

  private worker(): WorkerTrainer {
    this.trainer ??= new WorkerTrainer(
      new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'graft-training' }),
    );
    return this.trainer;
  }

  /** Chooses the backend in the worker (training) and on the page (prediction); returns the worker's choice. */
  async useBackend(name: string): Promise<{ worker: BackendChoice; page: BackendChoice }> {
    this.backend = name;
    const worker = await this.worker().useBackend(name);
    const page = await backends.use(name);
    return { worker, page };
  }

  /** Trains a fresh model of `kind` on the classes in the worker; resolves when done or stopped. */
  async train(
    kind: ModelKind,
    classes: LabelledClass[],
    opts: { epochs: number; batchSize: number; from?: string | Record<string, ArrayBuffer>; signal: AbortSignal },
    cb: TrainCallbacks,
  ) {
    const spec = kind === 'cnn' ? cnnSpec(classes.length) : mobilenetSpec(classes.length, opts.from ?? '');
    const learningRate = kind === 'cnn' ? 0.005 : 0.01;
    return this.fit(
      kind,
      spec,
      classes,
      { epochs: opts.epochs, batchSize: opts.batchSize, learningRate },
      opts.signal,
      cb,
    );
  }

  /** Keeps training the worker's model; for MobileNet the last base layers are re-opened at a low rate. */
  async fineTune(classes: LabelledClass[], epochs: number, batchSize: number, signal: AbortSignal, cb: TrainCallbacks) {
    const spec =
      this.kind === 'cnn' ? { kind: 'continue' as const } : { kind: 'continue' as const, unfreeze: { last: 6 } };
    const learningRate = this.kind === 'cnn' ? 0.002 : 1e-4;
    return this.fit(this.kind, spec, classes, { epochs, batchSize, learningRate }, signal, cb);
  }

  private async fit(
    kind: ModelKind,
    spec: Parameters<WorkerTrainer['fit']>[0],
    classes: LabelledClass[],
    opts: { epochs: number; batchSize: number; learningRate: number },
    signal: AbortSignal,
    cb: TrainCallbacks,
  ) {
    const trainer = this.worker();
    if (this.backend) await trainer.useBackend(this.backend);
    performance.mark('graft:encode-start');
    const data = await trainingData(kind, classes);
    performance.mark('graft:encode-end');
    const result = await trainer.fit(spec, data, {
      epochs: opts.epochs,
      // hold a fifth out to watch generalisation, once there is enough to spare
      validationSplit: data.x.shape[0] >= 30 ? 0.2 : undefined,
      batchSize: opts.batchSize,
      seed: 1,
      learningRate: opts.learningRate,
      signal,
      onProgress: cb.onProgress,
      onEpochEnd: cb.onEpochEnd,
    });
    // marks the end of training (for the e2e's main-thread measurement); loading the weights here comes after
    performance.mark('graft:trained');
    // load in a task of its own, so the reply's handling and the model building are measured apart
    await new Promise((r) => setTimeout(r, 0));
    const model = await result.load();
    await this.model?.dispose();
    this.model = model;
    this.kind = kind;
    return result;
  }

  /** Class probabilities for one picture, on the page's tfjs backend or on onnxruntime-web. */
  async predict(picture: CanvasImageSource, runtime: 'tfjs' | 'onnx'): Promise<ClassPrediction> {
    if (!this.model) throw new Error('train or load a model first');
    const s = inputSize(this.kind);
    const input = { data: encode(this.kind, picture), shape: [s, s, 3] };
    return (await this.model.predict(input, runtime === 'onnx' ? { backend: 'onnx' } : {})) as ClassPrediction;
  }

  async save(): Promise<void> {
    if (!this.model) throw new Error('nothing to save yet');
    await this.model.save(STORE);
    localStorage.setItem(KIND_KEY, this.kind);
  }

  async load(): Promise<Model> {
    const model = await loadModel(STORE);
    await this.model?.dispose();
    this.model = model;
    this.kind = (localStorage.getItem(KIND_KEY) as ModelKind | null) ?? 'cnn';
    return model;
  }

  async download(): Promise<void> {
    if (!this.model) throw new Error('nothing to download yet');
    await this.model.save('downloads://graft-model');
  }

  async exportOnnx(): Promise<Uint8Array> {
    if (!this.model) throw new Error('nothing to export yet');
    return this.model.export('onnx');
  }

  stopWorker(): void {
    this.trainer?.terminate();
    this.trainer = null;
  }
}
