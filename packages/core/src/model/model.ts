import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { backends } from '../backends/registry';
import { Dataset } from '../data/dataset';
import { isImageLike } from '../data/image-dataset';
import { imagesToTensor } from '../data/images/images-to-tensor';
import { preprocess } from '../data/images/preprocess';
import { toImageTensor } from '../data/images/to-image-tensor';
import type { ImageSource } from '../data/images/types';
import type { LabelInfo, LabelInput } from '../data/labels';
import { type NumericInput, toTensor } from '../data/tensorize';
import { describe, GraftError } from '../errors/graft-error';
import {
  type CheckpointOptions,
  checkCheckpointOptions,
  checkpointLocation,
  readCheckpoint,
  restoreCheckpointWeights,
  writeCheckpoint,
} from '../io/checkpoint';
import { type ExportSource, getExporter } from '../io/exporters';
import { getRuntime, type PreparedRuntime } from '../io/runtimes';
import type { Callbacks, EarlyStoppingOptions, ProgressEvent, StopReason } from '../training/callbacks';
import { evaluateTensors, type NamedMetric, trainLoop } from '../training/loop';
import type { Preprocessing } from '../transfer/backbone';
import {
  type CompileOptions,
  defaultMetrics,
  outputActivation,
  outputUnits,
  resolveLoss,
  validateCompile,
} from './compile';
import { enforceFrozenBatchNorm } from './frozen-batchnorm';
import { LOSSES, type LossFn, type LossName, type MetricName, metricFn } from './losses';
import { checkLearningRate, copyOptimizer, createOptimizer, type OptimizerName } from './optimizers';
import { predictInBatches } from './predict-batches';
import { formatPredictions, type Prediction, type Task, taskFor } from './predictions';

export interface FitOptions extends Callbacks {
  /** Default 1, as Keras. */
  epochs?: number;
  /** Default 32, as Keras. */
  batchSize?: number;
  /** Fraction of the training data held out (seeded, stratified by class) for validation. */
  validationSplit?: number;
  validationData?: Dataset | [NumericInput, LabelInput];
  /** Shuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seeds shuffling, the validation split and dropout: same seed, same backend, same weights. */
  seed?: number;
  /** Overrides the compiled learning rate (rebuilds the optimizer). */
  learningRate?: number;
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Stops at the next batch; the fit resolves with the model as trained so far. */
  signal?: AbortSignal;
  /** 'stop' (default): a NaN/Inf loss throws NON_FINITE_LOSS and rolls weights back. */
  nonFinite?: 'stop' | 'continue';
  /** Extra callback objects, Keras style. */
  callbacks?: Callbacks[];
  /** Class names for integer labels (string labels bring their own). */
  classNames?: string[];
  /** Transfer models: compute frozen base features once (default true when allowed). */
  featureCache?: boolean;
  /** Write weights, optimizer state, epoch and history every `every` epochs, atomically (file or IndexedDB). */
  checkpoint?: CheckpointOptions;
  /** Continue from a checkpoint (file path or `indexeddb://name`) written by the same model; `epochs` stays the total. */
  resume?: string;
}

export interface EvaluateOptions {
  batchSize?: number;
}

export interface PredictOptions {
  batchSize?: number;
  /** Run this prediction on an inference runtime (e.g. 'onnx') instead of tfjs. */
  backend?: string;
}

export type History = { loss: number[] } & Record<string, number[]>;

export interface FitSummary {
  stoppedBy: StopReason;
  epochs: number;
  featureCache: boolean;
  backend: string;
}

/** What training runs on: the network to update and the tensors it sees (features when cached). */
export interface TrainingInputs {
  net: LayersModel;
  x: tf.Tensor;
  /** Whether `x` was made for this fit and must be disposed after it. */
  owned: boolean;
  featureCache: boolean;
}

export interface ModelMetadata {
  classNames?: string[];
  task?: Task;
  loss?: LossName;
  metrics?: MetricName[];
  preprocessing?: Preprocessing;
  history?: Record<string, number[]>;
}

type FitArgs = [Dataset | NumericInput, (LabelInput | FitOptions)?, FitOptions?];

/**
 * A trainable model: fit, evaluate, predict, save, export. Holds the tfjs network, the compile settings,
 * class names and the history of every fit.
 */
export class Model {
  /** Per-epoch values appended by every fit. */
  readonly history: History = { loss: [] };
  classNames?: string[];
  /** How the last fit ended. */
  lastFit: FitSummary | null = null;
  protected compileOptions: CompileOptions = {};
  protected preprocessing?: Preprocessing;
  protected task?: Task;
  protected loss?: LossName;
  protected metrics?: MetricName[];
  /** A loss outside the named ones (e.g. the embedding head's triplet loss). */
  protected customLoss?: { name: string; fn: LossFn };
  private optimizer: tf.Optimizer | null = null;
  private optimizerKey = '';
  private fitting = false;
  private runtimes = new Map<string, PreparedRuntime>();
  private builtNet: LayersModel | null;

  constructor(net: LayersModel | null, meta: ModelMetadata = {}) {
    this.builtNet = net;
    if (net) enforceFrozenBatchNorm(net);
    this.classNames = meta.classNames;
    this.task = meta.task;
    this.loss = meta.loss;
    this.metrics = meta.metrics;
    this.preprocessing = meta.preprocessing;
    if (meta.history) Object.assign(this.history, meta.history);
  }

  /** The underlying tfjs LayersModel (built on first use). */
  get net(): LayersModel {
    if (!this.builtNet) {
      this.builtNet = this.build();
      enforceFrozenBatchNorm(this.builtNet);
    }
    return this.builtNet;
  }

  protected get isBuilt(): boolean {
    return this.builtNet !== null;
  }

  /** Subclasses that build lazily (the fluent builders) override this. */
  protected build(): LayersModel {
    throw new GraftError('NOT_BUILT', 'this model has no network');
  }

  /** Optional: sets optimizer, loss and metrics. Defaults follow from the last layer and the labels. */
  compile(options: CompileOptions = {}): this {
    validateCompile(options);
    this.compileOptions = { ...options };
    if (options.loss) this.loss = options.loss;
    if (options.metrics) this.metrics = [...options.metrics];
    this.resetOptimizer();
    return this;
  }

  /** Forgets optimizer state; the next fit builds a fresh optimizer (after a change of the trainable set). */
  protected resetOptimizer(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
    this.optimizerKey = '';
  }

  /** `fit(x, y, options)` or `fit(dataset, options)`; resolves to the model itself. */
  async fit(...args: FitArgs): Promise<this> {
    const [x, yOrOptions, maybeOptions] = args;
    const isDataset = x instanceof Dataset;
    const options: FitOptions = (isDataset ? (yOrOptions as FitOptions) : maybeOptions) ?? {};
    const y = isDataset ? undefined : (yOrOptions as LabelInput | undefined);
    if (this.fitting)
      throw new GraftError('FIT_IN_PROGRESS', 'this model is already fitting; await the running fit first');
    const opts = normaliseFitOptions(options);
    if (options.checkpoint !== undefined) checkCheckpointOptions(options.checkpoint);
    if (options.resume !== undefined) checkpointLocation(options.resume, 'resume');
    if (!isDataset && (y === undefined || y === null)) {
      throw new GraftError(
        'INVALID_LABEL',
        'fit(x, y) expects labels y; pass a Dataset or labels as the second argument',
      );
    }
    this.fitting = true;
    let release = () => {};
    const owned: Dataset[] = [];
    const ownedTensors: tf.Tensor[] = [];
    try {
      // choose the backend first ('auto' on first use), then hold it for the whole fit
      const choice = await backends.ensure();
      release = backends.hold();
      const entry = backends.get(choice.name);
      if (entry && !entry.capabilities.train) {
        throw new GraftError(
          'BACKEND_CANNOT_TRAIN',
          `the active backend "${choice.name}" runs inference only (onnxruntime-web removed its training API in 1.20); ` +
            'train on a tfjs backend (backends.use("auto"), "wasm", "webgpu" or "cpu") and predict with { backend: "onnx" }',
        );
      }
      const data = isDataset ? (x as Dataset) : this.toDataset(x as NumericInput, y as LabelInput, options.classNames);
      if (!isDataset) owned.push(data);
      await data.validate();
      const info = await data.labels();
      if (!info) throw new GraftError('INVALID_LABEL', 'the dataset has no labels; fit needs labels');
      let train = data;
      let val: Dataset | null = null;
      if (opts.validationData) {
        val =
          opts.validationData instanceof Dataset
            ? opts.validationData
            : this.toDataset(opts.validationData[0], opts.validationData[1], options.classNames);
        if (!(opts.validationData instanceof Dataset)) owned.push(val);
        await val.validate();
      } else if (opts.validationSplit) {
        const [a, b] = await data.split(opts.validationSplit, { seed: opts.seed });
        owned.push(a, b);
        train = a;
        val = b;
      }
      const net = this.net;
      this.checkInputShape(train.sampleShape, 'x');
      if (val) this.checkInputShape(val.sampleShape, 'validation x');
      const { lossName, lossFn, metricNames, metrics } = this.resolveTraining(net, info);
      if (val && lossName)
        resolveLoss(outputActivation(net), outputUnits(net), (await val.labels()) as LabelInfo, lossName);
      const names = this.classNames ?? data.classNames ?? options.classNames;
      const progress = (e: ProgressEvent) => {
        options.onProgress?.(e);
        for (const c of options.callbacks ?? []) c.onProgress?.(e);
      };
      let initialEpoch = 0;
      if (options.resume !== undefined) initialEpoch = await this.resumeFrom(options.resume, opts.learningRate);
      const trainIn = await this.trainingInputs(train.x, opts, progress);
      if (trainIn.owned) ownedTensors.push(trainIn.x);
      let valIn: TrainingInputs | null = null;
      if (val) {
        valIn = await this.trainingInputs(val.x, opts, undefined, trainIn.featureCache);
        if (valIn.owned) ownedTensors.push(valIn.x);
      }
      const optimizer = this.ensureOptimizer(opts.learningRate);
      const result = await trainLoop(
        {
          net: trainIn.net,
          loss: lossFn,
          metrics,
          optimizer,
          x: trainIn.x,
          y: train.y as tf.Tensor,
          val: val && valIn ? { x: valIn.x, y: val.y as tf.Tensor } : null,
          featureCache: trainIn.featureCache,
        },
        {
          epochs: opts.epochs,
          batchSize: opts.batchSize,
          shuffle: opts.shuffle,
          seed: opts.seed,
          signal: opts.signal,
          nonFinite: opts.nonFinite,
          earlyStopping: opts.earlyStopping,
          initialEpoch,
          callbacks: mergeCallbacks(options, progress, this.checkpointWriter(options.checkpoint, optimizer)),
        },
      );
      if (lossName) this.loss = lossName;
      this.metrics = metricNames;
      this.task = this.task ?? taskFor(outputActivation(net), outputUnits(net), lossName ?? undefined);
      if (names) this.classNames = names;
      for (const [k, v] of Object.entries(result.history)) (this.history[k] ??= []).push(...v);
      this.lastFit = {
        stoppedBy: result.stoppedBy,
        epochs: result.epochs,
        featureCache: trainIn.featureCache,
        backend: choice.name,
      };
      await this.invalidateRuntimes();
      return this;
    } finally {
      for (const t of ownedTensors) t.dispose();
      for (const d of owned) d.dispose();
      release();
      this.fitting = false;
    }
  }

  /** Loads a checkpoint into this model and a fresh optimizer; returns the epoch to continue from. */
  private async resumeFrom(path: string, learningRate?: number): Promise<number> {
    const ck = await readCheckpoint(path);
    try {
      restoreCheckpointWeights(this.net, ck, path);
      this.resetOptimizer();
      const optimizer = this.ensureOptimizer(learningRate);
      if (ck.optimizer.length) await optimizer.setWeights(ck.optimizer);
    } finally {
      tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
    }
    for (const k of Object.keys(this.history)) delete this.history[k];
    Object.assign(this.history, { loss: [] }, ck.history);
    return ck.epoch;
  }

  /** An epoch-end callback that writes checkpoints, or nothing. */
  private checkpointWriter(c: CheckpointOptions | undefined, optimizer: tf.Optimizer): Callbacks[] {
    if (!c) return [];
    const every = c.every ?? 1;
    const before = Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, [...v]]));
    return [
      {
        onEpochEnd: async (epoch, logs) => {
          for (const [k, v] of Object.entries(logs)) (before[k] ??= []).push(v);
          if ((epoch + 1) % every === 0) await writeCheckpoint(c.to, this.net, optimizer, epoch + 1, before);
        },
      },
    ];
  }

  /**
   * The tensors and network the training loop runs on. Plain models train the whole network on the
   * inputs; transfer models override this to cache frozen base features and train the head alone.
   */
  protected async trainingInputs(
    x: tf.Tensor,
    _opts: NormalisedFitOptions,
    _progress?: (e: ProgressEvent) => void,
    _useCache?: boolean,
  ): Promise<TrainingInputs> {
    if (this.preprocessing) return { net: this.net, x: this.preprocessed(x), owned: true, featureCache: false };
    return { net: this.net, x, owned: false, featureCache: false };
  }

  /** Raw 0..255 NHWC pixels -> the network's input, per the backbone's preprocessing (a new tensor). */
  protected preprocessed(x: tf.Tensor): tf.Tensor {
    if (!this.preprocessing) return x;
    return preprocess(x as tf.Tensor4D, this.preprocessing);
  }

  /** Mean loss and metrics over labelled data, named as in history: `{ loss, accuracy }`. */
  async evaluate(
    x: Dataset | NumericInput,
    y?: LabelInput | EvaluateOptions,
    options: EvaluateOptions = {},
  ): Promise<Record<string, number>> {
    const isDataset = x instanceof Dataset;
    const opts = (isDataset ? (y as EvaluateOptions | undefined) : options) ?? {};
    const batchSize = opts.batchSize ?? 32;
    checkBatchSize(batchSize);
    const data = isDataset ? (x as Dataset) : this.toDataset(x as NumericInput, y as LabelInput);
    const owned: tf.Tensor[] = [];
    try {
      await backends.ensure();
      await data.validate();
      const info = await data.labels();
      if (!info) throw new GraftError('INVALID_LABEL', 'evaluate needs labels');
      const net = this.net;
      this.checkInputShape(data.sampleShape, 'x');
      const { lossFn, metricNames, metrics } = this.resolveTraining(net, info);
      const inputs = await this.inferenceInputs(data.x);
      if (inputs !== data.x) owned.push(inputs);
      const values = await evaluateTensors(net, lossFn, metrics, inputs, data.y as tf.Tensor, batchSize);
      const out: Record<string, number> = { loss: values[0] };
      metricNames.forEach((m, i) => {
        out[m] = values[i + 1];
      });
      return out;
    } finally {
      for (const t of owned) t.dispose();
      if (!isDataset) data.dispose();
    }
  }

  /** The loss and metrics for these labels: the custom loss, the compiled one, or the Keras default. */
  private resolveTraining(net: LayersModel, info: LabelInfo) {
    if (this.customLoss) {
      const custom = this.customLoss;
      const metricNames = this.metrics ?? [];
      return {
        lossName: null,
        lossFn: custom.fn,
        metricNames,
        metrics: metricNames.map((m) => ({ name: m, fn: metricFn(m, 'meanSquaredError') })),
      };
    }
    const lossName = resolveLoss(outputActivation(net), outputUnits(net), info, this.loss);
    const metricNames = this.metrics ?? defaultMetrics(lossName);
    const metrics: NamedMetric[] = metricNames.map((m) => ({ name: m, fn: metricFn(m, lossName) }));
    return { lossName, lossFn: LOSSES[lossName], metricNames, metrics };
  }

  /** Network-ready inputs for inference (transfer models apply preprocessing/extractors here). */
  protected async inferenceInputs(x: tf.Tensor): Promise<tf.Tensor> {
    return this.preprocessing ? this.preprocessed(x) : x;
  }

  /** Turns user input for predict into a batch; images and other sources are handled by subclasses. */
  protected async toBatch(x: unknown): Promise<{ batch: tf.Tensor; single: boolean }> {
    if (this.preprocessing) {
      // image models take raw pixels (0..255, any size) and preprocess them themselves
      if (Array.isArray(x) && x.length > 0 && isImageLike(x[0])) {
        return { batch: await imagesToTensor(x as ImageSource[], { size: this.preprocessing.size }), single: false };
      }
      if (isImageLike(x)) {
        const img = await toImageTensor(x as ImageSource, { size: this.preprocessing.size });
        const b = tf.expandDims(img, 0);
        img.dispose();
        return { batch: b, single: true };
      }
    }
    // the expected shape first: building can throw, and must not strand the input tensor
    const sampleRank = this.preprocessing ? 3 : this.expectedSampleShape().length;
    const t = toTensor(x, 'x');
    if (t.rank === sampleRank) {
      const b = tf.expandDims(t, 0);
      t.dispose();
      this.checkInputShape(b.shape.slice(1), 'x');
      return { batch: b, single: true };
    }
    try {
      this.checkInputShape(t.shape.slice(1), 'x');
    } catch (e) {
      t.dispose();
      throw e;
    }
    return { batch: t, single: false };
  }

  /**
   * Predictions: for a classifier one `{ label, index, probabilities }` per input row (a single object for a
   * single sample); multi-label `{ labels, probabilities }`; regression `{ value }`.
   */
  async predict(x: unknown, options?: PredictOptions): Promise<Prediction | Prediction[]>;
  async predict(x: unknown, options: PredictOptions = {}): Promise<Prediction | Prediction[]> {
    const { batch, single } = await this.toBatch(x);
    let out: tf.Tensor | null = null;
    try {
      out = await this.predictTensor(batch, options);
      const rows = (await out.data()) as Float32Array;
      const width = out.shape.slice(1).reduce((a, b) => a * b, 1);
      const net = this.net;
      const task = this.task ?? taskFor(outputActivation(net), outputUnits(net), this.loss);
      const preds = formatPredictions(task, rows, width, this.classNames);
      return single ? preds[0] : preds;
    } finally {
      batch.dispose();
      out?.dispose();
    }
  }

  /** Raw network output for a batch (a new tensor the caller owns). */
  async predictTensor(batch: tf.Tensor, options: PredictOptions = {}): Promise<tf.Tensor> {
    const runtimeName =
      options.backend ??
      (backends.current()?.name && !backends.get(backends.current()?.name as string)?.capabilities.train
        ? backends.current()?.name
        : undefined);
    if (runtimeName && getRuntime(runtimeName)) {
      const prepared = await this.prepareRuntime(runtimeName);
      const inputs = await this.runtimeInputs(batch);
      try {
        return await prepared.run(inputs);
      } finally {
        if (inputs !== batch) inputs.dispose();
      }
    }
    if (options.backend && options.backend !== backends.current()?.name) {
      throw new GraftError(
        'UNKNOWN_BACKEND',
        `predict({ backend: ${JSON.stringify(options.backend)} }) names no registered inference runtime`,
      );
    }
    await backends.ensure();
    const inputs = await this.inferenceInputs(batch);
    try {
      const bs = options.batchSize ?? 32;
      checkBatchSize(bs);
      return predictInBatches(this.net, inputs, bs);
    } finally {
      if (inputs !== batch) inputs.dispose();
    }
  }

  /** Inputs for an outside runtime: preprocessed pixels (the runtime runs the whole graph). */
  protected async runtimeInputs(batch: tf.Tensor): Promise<tf.Tensor> {
    // the exported graph starts after preprocessing, for loaded models as for transfer models
    return this.preprocessing ? this.preprocessed(batch) : batch;
  }

  private async prepareRuntime(name: string): Promise<PreparedRuntime> {
    let prepared = this.runtimes.get(name);
    if (!prepared) {
      const runtime = getRuntime(name);
      if (!runtime) throw new GraftError('UNKNOWN_BACKEND', `no inference runtime named ${JSON.stringify(name)}`);
      prepared = await runtime.prepare(this.exportSource());
      this.runtimes.set(name, prepared);
    }
    return prepared;
  }

  /** Sessions built from old weights are dropped after training. */
  protected async invalidateRuntimes(): Promise<void> {
    for (const r of this.runtimes.values()) await r.dispose();
    this.runtimes.clear();
  }

  protected exportSource(): ExportSource {
    return { net: this.net, preprocessing: this.preprocessing, classNames: this.classNames };
  }

  /** Exports to another format: 'onnx' (with `@graftjs/backend-onnx` imported) gives the ONNX bytes. */
  async export(format: 'onnx' | string): Promise<Uint8Array> {
    return getExporter(format)(this.exportSource());
  }

  /** A Keras-style layer table. */
  summary(print: ((line: string) => void) | null = console.log): string {
    const lines: string[] = [];
    this.net.summary(100, undefined, (line: string) => lines.push(line));
    const text = lines.join('\n');
    print?.(text);
    return text;
  }

  /** Metadata saved with the model (class names, task, loss, preprocessing, history). */
  metadata(): ModelMetadata {
    return {
      classNames: this.classNames,
      task: this.task,
      loss: this.loss,
      metrics: this.metrics,
      preprocessing: this.preprocessing,
      history: { ...this.history },
    };
  }

  /**
   * Saves in the tfjs layers format. Node: a directory path (or file://); browsers: indexeddb://,
   * localstorage://, downloads://, http(s):// (POST). A path ending in .onnx saves the ONNX export.
   */
  async save(target: string | tf.io.IOHandler): Promise<void> {
    const { saveModel } = await import('../io/save-load');
    await saveModel(this, target);
  }

  /** Frees the network's weights, the optimizer and any runtime sessions. */
  async dispose(): Promise<void> {
    await this.invalidateRuntimes();
    this.resetOptimizer();
    this.builtNet?.dispose();
    this.builtNet = null;
  }

  protected checkInputShape(sample: number[], what: string): void {
    if (this.preprocessing) {
      if (sample.length !== 3 || sample[2] !== 3) {
        throw new GraftError(
          sample.length === 3 ? 'CHANNEL_MISMATCH' : 'SHAPE_MISMATCH',
          `expected each ${what} sample as an RGB image [height, width, 3] of 0..255 pixels, got [${sample.join(', ')}]`,
        );
      }
      return;
    }
    const expected = this.expectedSampleShape();
    const ok = expected.length === sample.length && expected.every((d, i) => d === null || d === sample[i]);
    if (!ok) {
      throw new GraftError(
        'SHAPE_MISMATCH',
        `expected each ${what} sample of shape [${expected.map((d) => d ?? 'any').join(', ')}], got [${sample.join(', ')}]`,
      );
    }
  }

  /** Shape of one sample the model takes (images are checked by subclasses before preprocessing). */
  protected expectedSampleShape(): (number | null)[] {
    return this.net.inputs[0].shape.slice(1);
  }

  protected toDataset(x: NumericInput, y: LabelInput, classNames?: string[]): Dataset {
    return Dataset.from(x, y, { classNames: classNames ?? this.classNames });
  }

  /** The learning rate when neither fit nor compile names one (undefined: the optimizer's Keras default). */
  protected defaultLearningRate(): number | undefined {
    return undefined;
  }

  private ensureOptimizer(learningRate?: number): tf.Optimizer {
    const spec = this.compileOptions.optimizer ?? 'adam';
    // an optimizer instance brings its own rate, which counts as named at compile time
    const lr =
      learningRate ??
      this.compileOptions.learningRate ??
      (typeof spec === 'string' ? this.defaultLearningRate() : undefined);
    const key = `${typeof spec === 'string' ? spec : 'instance'}:${lr ?? 'default'}`;
    if (!this.optimizer || this.optimizerKey !== key) {
      this.optimizer?.dispose();
      this.optimizer = typeof spec === 'string' ? createOptimizer(spec as OptimizerName, lr) : copyOptimizer(spec, lr);
      this.optimizerKey = key;
    }
    return this.optimizer;
  }
}

export interface NormalisedFitOptions {
  epochs: number;
  batchSize: number;
  validationSplit?: number;
  validationData?: Dataset | [NumericInput, LabelInput];
  shuffle: boolean;
  seed?: number;
  learningRate?: number;
  earlyStopping?: EarlyStoppingOptions;
  signal?: AbortSignal;
  nonFinite: 'stop' | 'continue';
  featureCache: boolean;
}

function checkBatchSize(b: unknown): void {
  if (!(typeof b === 'number' && Number.isInteger(b) && b > 0)) {
    throw new GraftError('INVALID_OPTION', `expected batchSize as a positive integer, got ${describe(b)}`);
  }
}

function normaliseFitOptions(o: FitOptions): NormalisedFitOptions {
  if (typeof o !== 'object' || o === null)
    throw new GraftError('INVALID_OPTION', `expected fit options as an object, got ${describe(o)}`);
  const epochs = o.epochs ?? 1;
  if (!(Number.isInteger(epochs) && epochs > 0))
    throw new GraftError('INVALID_OPTION', `expected epochs as a positive integer, got ${describe(o.epochs)}`);
  const batchSize = o.batchSize ?? 32;
  checkBatchSize(batchSize);
  if (o.validationSplit !== undefined && !(o.validationSplit > 0 && o.validationSplit < 1)) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected validationSplit strictly between 0 and 1, got ${describe(o.validationSplit)}`,
    );
  }
  if (o.validationSplit !== undefined && o.validationData !== undefined) {
    throw new GraftError('INVALID_OPTION', 'pass validationSplit or validationData, not both');
  }
  if (
    o.validationData !== undefined &&
    !(o.validationData instanceof Dataset) &&
    !(Array.isArray(o.validationData) && o.validationData.length === 2)
  ) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected validationData as a Dataset or [x, y], got ${describe(o.validationData)}`,
    );
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed))
    throw new GraftError('INVALID_OPTION', `expected seed as an integer, got ${describe(o.seed)}`);
  checkLearningRate(o.learningRate);
  if (o.nonFinite !== undefined && o.nonFinite !== 'stop' && o.nonFinite !== 'continue') {
    throw new GraftError('INVALID_OPTION', `expected nonFinite as "stop" or "continue", got ${describe(o.nonFinite)}`);
  }
  if (o.signal !== undefined && typeof o.signal?.aborted !== 'boolean') {
    throw new GraftError('INVALID_OPTION', `expected signal as an AbortSignal, got ${describe(o.signal)}`);
  }
  if (o.featureCache !== undefined && typeof o.featureCache !== 'boolean') {
    throw new GraftError('INVALID_OPTION', `expected featureCache as true or false, got ${describe(o.featureCache)}`);
  }
  const es = o.earlyStopping === true ? {} : o.earlyStopping === false ? undefined : o.earlyStopping;
  return {
    epochs,
    batchSize,
    validationSplit: o.validationSplit,
    validationData: o.validationData,
    shuffle: o.shuffle ?? true,
    seed: o.seed,
    learningRate: o.learningRate,
    earlyStopping: es,
    signal: o.signal,
    nonFinite: o.nonFinite ?? 'stop',
    featureCache: o.featureCache ?? true,
  };
}

function mergeCallbacks(o: FitOptions, progress: (e: ProgressEvent) => void, internal: Callbacks[] = []): Callbacks {
  const list: Callbacks[] = [...internal, o, ...(o.callbacks ?? [])];
  const has = (k: keyof Callbacks) => list.some((c) => typeof c[k] === 'function');
  const all =
    <K extends keyof Callbacks>(k: K) =>
    async (...args: unknown[]) => {
      for (const c of list) await (c[k] as ((...a: unknown[]) => unknown) | undefined)?.(...args);
    };
  return {
    onTrainBegin: has('onTrainBegin') ? all('onTrainBegin') : undefined,
    onTrainEnd: has('onTrainEnd') ? all('onTrainEnd') : undefined,
    onEpochBegin: has('onEpochBegin') ? all('onEpochBegin') : undefined,
    onEpochEnd: has('onEpochEnd') ? all('onEpochEnd') : undefined,
    onBatchEnd: has('onBatchEnd') ? all('onBatchEnd') : undefined,
    onProgress: has('onProgress') ? progress : undefined,
  } as Callbacks;
}
