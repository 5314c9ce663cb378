import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { backends } from '../backends/registry';
import { Dataset } from '../data/dataset';
import type { ImageIterable } from '../data/images/image-iterable';
import type { ImageStream } from '../data/images/image-stream';
import type { LabelInput } from '../data/labels';
import type { NumericInput } from '../data/tensorize';
import { GraftError, isGraftError } from '../errors/graft-error';
import { type ExportSource, getExporter } from '../io/exporters';
import type { FitControl } from '../training/fit-control';
import type { History as HistoryCallback } from '../training/history';
import { checkBatchSize } from './batch-size';
import type { CompileOptions } from './compile';
import { validateCompile } from './compile';
import type { ConfusionMatrix } from './confusion-matrix';
import type { FeatureStage } from './feature-stage';
import type { FitArgs, ParsedFitCall } from './fit-options';
import { Scope } from './fit-scope';
import { enforceFrozenBatchNorm } from './frozen-batchnorm';
import { releaseFolded } from './inference-plan/folded-inference';
import { InputStage } from './input-stage';
import { Lifecycle } from './lifecycle';
import type { MetricName } from './losses';
import type { ModelMetadata } from './metadata';
import type { ModelHost } from './model-host';
import type { EvaluateOptions, EvaluateResult, FitSummary, History, PredictOptions } from './model-types';
import type { Objective } from './objective';
import { OptimizerSlot } from './optimizer-slot';
import type { ImageInput, PredictInput } from './predict-input';
import type { Prediction } from './predictions';
import { RuntimeRouter } from './runtime-routing';
import { checkStepOptions, type TrainOnBatchOptions, type TrainOnBatchResult } from './train-on-batch-options';
import { holdTrainingBackend } from './training-backend';

export type { FitArgs, FitOptions } from './fit-options';
export type { ModelMetadata } from './metadata';
export type { EvaluateOptions, EvaluateResult, FitSummary, History, PredictOptions } from './model-types';

/** A model compiled with metrics `M`: evaluate reports each of them. */
export interface Evaluates<M extends MetricName> {
  evaluate(
    x: Dataset | ImageStream | NumericInput,
    y?: LabelInput | EvaluateOptions,
    options?: EvaluateOptions,
  ): Promise<EvaluateResult<M>>;
}

/**
 * A trainable model: fit, evaluate, predict, save, export. Holds the tfjs network, a feature stage (what runs
 * between data and the network), the compile settings, class names and the history of every fit.
 */
export class Model<P extends Prediction = Prediction> {
  /** Per-epoch values appended by every fit. */
  readonly history: History = { loss: [] };
  classNames?: string[];
  /** How the last fit ended, with its own history. */
  lastFit: FitSummary | null = null;
  protected readonly stage: FeatureStage;
  protected readonly optimizer = new OptimizerSlot();
  private readonly objective: Objective;
  private readonly runtimes = new RuntimeRouter(() => this.exportSource());
  private control: FitControl | null = null;
  /** Disposed or not, fitting or not: every public method passes its guard first. */
  protected readonly lifecycle = new Lifecycle();
  private builtNet: LayersModel | null;
  /** The first seeded fit's seed, for a model not built yet: builders given no seed seed initial weights with it. */
  protected fitSeed?: number;

  /** `stage`: the feature stage (default: the data as given, or preprocessed pixels for an image model). */
  constructor(net: LayersModel | null, meta: ModelMetadata = {}, stage?: FeatureStage) {
    this.builtNet = net;
    if (net) enforceFrozenBatchNorm(net);
    this.classNames = meta.classNames;
    this.objective = { task: meta.task, loss: meta.loss, fromLogits: meta.fromLogits, metrics: meta.metrics };
    this.stage = stage ?? new InputStage(() => this.net, meta.preprocessing);
    if (meta.history) Object.assign(this.history, meta.history);
  }

  /** The underlying tfjs LayersModel (built on first use). */
  get net(): LayersModel {
    this.lifecycle.usable('net');
    if (!this.builtNet) {
      this.builtNet = this.build();
      enforceFrozenBatchNorm(this.builtNet);
    }
    return this.builtNet;
  }

  protected get isBuilt(): boolean {
    return this.builtNet !== null;
  }

  /** Builders (sequential, transfer) make their network here, on first use. */
  protected build(): LayersModel {
    throw new GraftError('NOT_BUILT', 'this model has no network');
  }

  /**
   * Set it from a callback to end the running fit after the current batch (Keras `model.stop_training`); the
   * fit resolves with `lastFit.stoppedBy` 'stopTraining'. Each fit starts with it false.
   */
  get stopTraining(): boolean {
    return this.control?.stopTraining ?? false;
  }

  set stopTraining(stop: boolean) {
    if (this.control) this.control.stopTraining = stop;
  }

  /** Optional: sets optimizer, loss and metrics. Defaults follow from the last layer and the labels. */
  compile<M extends MetricName = never>(
    options: CompileOptions & { metrics?: M[] } = {},
  ): [M] extends [never] ? this : Evaluates<M> & this {
    this.lifecycle.idle('compile');
    validateCompile(options);
    this.optimizer.configure(options);
    if (options.loss) this.objective.loss = options.loss;
    if (options.loss || options.fromLogits !== undefined) this.objective.fromLogits = options.fromLogits;
    if (options.metrics) this.objective.metrics = [...options.metrics];
    return this as never;
  }

  /** What the model is trained for; heads set it (a compile afterwards still wins). */
  protected setObjective(o: Objective): void {
    Object.assign(this.objective, { loss: undefined, customLoss: undefined }, o);
  }

  /**
   * `fit(x, y, options)` or `fit(dataset, options)`; resolves to the model itself. One way through: the data,
   * the feature stage, the loop, the callbacks, the history (docs/architecture.md).
   */
  async fit(...args: FitArgs): Promise<this> {
    const endFit = this.lifecycle.beginFit();
    // held before the first await: a `use()` called right after `fit()` is refused instead of switching under it
    const held = backends.hold();
    let parsed: ParsedFitCall;
    try {
      // every option is checked before anything starts; the checks load with the first fit
      parsed = (await import('./fit-options')).parseFitArgs(args);
    } catch (e) {
      held();
      endFit();
      throw e;
    }
    const scope = new Scope();
    const holding = holdTrainingBackend();
    held(); // the training backend's own hold took over, synchronously
    let release = () => {};
    try {
      const backend = await holding;
      release = backend.release;
      const { runFit } = await import('./fit-run');
      const { history, summary } = await runFit(this.host(), parsed, backend.choice, scope);
      await this.adoptFit(history, summary);
      return this;
    } catch (e) {
      // the moments that made the loss non-finite would make the next fit fail the same way: they go
      if (isGraftError(e, 'NON_FINITE_LOSS')) this.optimizer.reset();
      throw e;
    } finally {
      scope.dispose();
      release();
      // a failed or aborted fit may have changed weights too: no session keeps serving the old ones
      this.runtimes.closeInBackground();
      this.stage.afterFit();
      this.optimizer.fitEnded();
      this.control = null;
      endFit();
    }
  }

  /** The model as the lazily loaded fit, evaluate and predict bodies see it (model-host.ts). */
  private host(): ModelHost {
    const model = this;
    return {
      get net() {
        return model.net;
      },
      get isBuilt() {
        return model.isBuilt;
      },
      stage: this.stage,
      optimizer: this.optimizer,
      objective: this.objective,
      history: this.history,
      get classNames() {
        return model.classNames;
      },
      set classNames(names) {
        model.classNames = names;
      },
      seedOnce: (seed) => {
        this.fitSeed ??= seed;
      },
      setControl: (control) => {
        this.control = control;
      },
    };
  }

  /** A fit that ran to its end: its summary and history become the model's. */
  private async adoptFit(history: HistoryCallback, summary: FitSummary): Promise<void> {
    this.lastFit = summary;
    const total = history.total();
    for (const k of Object.keys(this.history)) delete this.history[k];
    Object.assign(this.history, total);
    await this.runtimes.invalidate();
  }

  /**
   * One step of the model's optimizer on one batch (Keras `train_on_batch`), for a training loop of your own:
   * `await model.trainOnBatch(x, y)` or, with a loss of your own (what a Keras `train_step` override computes),
   * `await model.trainOnBatch(x, y, { loss: (yTrue, yPred) => tf.losses.huberLoss(yTrue, yPred) })`. Resolves
   * to the batch's `{ loss, ...metrics }`. The optimizer (compile's, else Adam) and its state carry over between
   * calls and into fit; a non-finite loss throws NON_FINITE_LOSS and updates nothing.
   */
  async trainOnBatch(
    x: Dataset | NumericInput,
    y?: LabelInput | TrainOnBatchOptions,
    options?: TrainOnBatchOptions,
  ): Promise<TrainOnBatchResult> {
    this.lifecycle.idle('trainOnBatch');
    const isDataset = x instanceof Dataset;
    const opts = checkStepOptions(isDataset ? y : options);
    const endFit = this.lifecycle.beginFit();
    const scope = new Scope();
    const held = await holdTrainingBackend().catch((e) => {
      endFit();
      throw e;
    });
    try {
      const { stepOnBatch } = await import('./train-on-batch-run');
      return await stepOnBatch(this.host(), x, y, opts, scope);
    } finally {
      scope.dispose();
      held.release();
      // the weights changed: no runtime session keeps serving the old ones, no stale features stay cached
      this.runtimes.closeInBackground();
      this.stage.afterFit();
      endFit();
    }
  }

  /** Loss and metrics over labelled data, named as in history: `{ loss, accuracy }`. */
  async evaluate(
    x: Dataset | ImageStream | NumericInput,
    y?: LabelInput | EvaluateOptions,
    options: EvaluateOptions = {},
  ): Promise<EvaluateResult> {
    this.lifecycle.usable('evaluate');
    return (await import('./evaluate-run')).evaluateModel(this.host(), x, y, options);
  }

  /** Rows true classes, columns predicted (sklearn's layout), with per-class precision, recall, F1 and a text form. */
  async confusionMatrix(
    x: Dataset | NumericInput,
    y?: LabelInput | EvaluateOptions,
    options: EvaluateOptions = {},
  ): Promise<ConfusionMatrix> {
    this.lifecycle.usable('confusionMatrix');
    return (await import('./evaluate-run')).confusionMatrixOf(this.host(), x, y, options);
  }

  /**
   * Predictions: a classifier gives `{ label, index, probabilities }`, multi-label `{ labels, probabilities }`,
   * regression `{ value }`. One sample in, one prediction out; a batch in, an array out. The input tells which:
   * a Dataset or an array of images is a batch; one image (path, bytes, pixels, browser image) or a flat
   * `number[]` is one sample; a tensor or deeper array is one sample when its rank is the model's sample rank and
   * a batch when it has one more dimension (say which with `{ batch }` to get the matching type).
   */
  async predict(
    x: Dataset | ImageStream | ImageIterable | readonly ImageInput[],
    options?: PredictOptions,
  ): Promise<P[]>;
  async predict(x: ImageInput | number[] | tf.Tensor1D, options?: PredictOptions): Promise<P>;
  async predict(x: NumericInput, options: PredictOptions & { batch: true }): Promise<P[]>;
  async predict(x: NumericInput, options: PredictOptions & { batch: false }): Promise<P>;
  async predict(x: PredictInput, options?: PredictOptions): Promise<P | P[]>;
  async predict(x: PredictInput, options: PredictOptions = {}): Promise<P | P[]> {
    this.lifecycle.usable('predict');
    const run = (b: tf.Tensor, o: PredictOptions) => this.predictTensor(b, o);
    return (await import('./predict-run')).predictModel<P>(this.host(), x, options, run);
  }

  /** Raw network output for a batch of raw inputs (a new tensor the caller owns). */
  async predictTensor(batch: tf.Tensor, options: PredictOptions = {}): Promise<tf.Tensor> {
    this.lifecycle.usable('predictTensor');
    const batchSize = options.batchSize ?? 32;
    checkBatchSize(batchSize);
    const runtime = this.runtimes.pick(options.backend);
    const inputs = runtime ? this.stage.runtime(batch) : await this.stage.inference(batch);
    try {
      if (runtime) return await this.runtimes.run(runtime, inputs);
      await backends.ensure();
      const { predictInBatches } = await import('./predict-batches');
      return predictInBatches(this.net, inputs, batchSize);
    } finally {
      if (inputs !== batch) inputs.dispose();
    }
  }

  /** @internal What `explain` reads: the network and the stage that makes its inputs; refuses a disposed model. */
  explainSource(): { net: LayersModel; stage: FeatureStage; classNames?: string[] } {
    this.lifecycle.usable('explain');
    return { net: this.net, stage: this.stage, classNames: this.classNames };
  }

  /** What exporters and outside runtimes receive. */
  protected exportSource(): ExportSource {
    return { ...this.stage.exportSource(), classNames: this.classNames };
  }

  /** Exports to another format, through the exporter an adapter registered for it (e.g. `export('<format>')`). */
  async export(format: string): Promise<Uint8Array> {
    this.lifecycle.usable('export');
    return getExporter(format)(this.exportSource());
  }

  /** A Keras-style layer table, then the learning rate the next fit uses when it names none. */
  summary(print: ((line: string) => void) | null = console.log): string {
    this.lifecycle.usable('summary');
    const lines: string[] = [];
    this.net.summary(100, undefined, (line: string) => lines.push(line));
    const next = this.optimizer.nextLearningRate();
    lines.push(`Learning rate of the next fit: ${next.rate} (${next.source})`);
    const text = lines.join('\n');
    print?.(text);
    return text;
  }

  /** Metadata saved with the model (class names, task, loss, preprocessing, history). */
  metadata(): ModelMetadata {
    this.lifecycle.usable('metadata');
    const { task, loss, fromLogits, metrics } = this.objective;
    const preprocessing = this.stage.preprocessing;
    const history = { ...this.history };
    return { classNames: this.classNames, task, loss, fromLogits, metrics, preprocessing, history };
  }

  /**
   * Saves in the tfjs layers format. Node: a directory path (or file://); browsers: indexeddb://,
   * localstorage://, downloads://, http(s):// (POST). A Node file path whose extension an exporter claims
   * (`model.<format>`) saves that export's bytes.
   */
  async save(target: string | tf.io.IOHandler): Promise<void> {
    this.lifecycle.usable('save');
    // the savers (and Node's directory writer) load with the first save
    const { saveModel } = await import('../io/save-model');
    await saveModel(
      { net: this.net, metadata: () => this.metadata(), exportSource: () => this.exportSource() },
      target,
    );
  }

  /**
   * Frees the network's weights, the optimizer and the stage's cache now, synchronously as tfjs' `dispose()`
   * (runtime sessions close in the background). Every later call throws MODEL_DISPOSED; a second dispose does
   * nothing; during a fit it throws FIT_IN_PROGRESS. `await model.dispose()` still works.
   */
  dispose(): void {
    if (!this.lifecycle.end()) return;
    this.runtimes.closeInBackground();
    this.optimizer.dispose();
    this.stage.dispose();
    if (this.builtNet) releaseFolded(this.builtNet);
    if (this.builtNet) this.disposeNet(this.builtNet);
    this.builtNet = null;
  }

  /** Frees what the model owns of its network (all of it here; a transfer model keeps its caller's base). */
  protected disposeNet(net: LayersModel): void {
    net.dispose();
  }
}
