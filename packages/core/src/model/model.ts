import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { backends } from '../backends/registry';
import { mapClasses } from '../data/class-mapping';
import { Dataset } from '../data/dataset';
import { ImageIterable } from '../data/images/image-iterable';
import { ImageStream } from '../data/images/image-stream';
import type { LabelInput } from '../data/labels';
import type { NumericInput } from '../data/tensorize';
import { GraftError, isGraftError } from '../errors/graft-error';
import { checkCheckpointTarget } from '../io/checkpoint-file';
import { type ExportSource, getExporter } from '../io/exporters';
import type { StopReason } from '../training/callbacks';
import { evaluateTensors } from '../training/evaluate';
import { FitControl } from '../training/fit-control';
import { History as HistoryCallback, type HistoryRecord } from '../training/history';
import { restoringRate } from '../training/learning-rate';
import { refuseStream } from '../transfer/stream-features';
import { classWeightedLoss } from './class-weight';
import { type CompileOptions, outputActivation, outputUnits, validateCompile } from './compile';
import { type ConfusionMatrix, confusionOf, type LabelledRun } from './confusion-matrix';
import { checkSample, type FeatureStage } from './feature-stage';
import { fitCallbacks, progressFor } from './fit-callbacks';
import { type FitData, own, resolveFitData, toDataset } from './fit-data';
import { stageInputs, trainSpec } from './fit-inputs';
import { checkBatchSize, type FitArgs, parseFitArgs } from './fit-options';
import { type FitChoice, planFit } from './fit-plan';
import { Scope } from './fit-scope';
import { enforceFrozenBatchNorm } from './frozen-batchnorm';
import { runPlan } from './head-solve';
import { InputStage } from './input-stage';
import { Lifecycle } from './lifecycle';
import { outputIsLogits, squash } from './logits';
import type { MetricName } from './losses';
import type { ModelMetadata } from './metadata';
import {
  type Objective,
  type ResolvedObjective,
  resolveFitObjective,
  resolveObjective,
  settledObjective,
} from './objective';
import { OptimizerSlot } from './optimizer-slot';
import { predictInBatches } from './predict-batches';
import { type ImageInput, type PredictInput, toPredictBatch } from './predict-input';
import { formatPredictions, type Prediction, taskFor } from './predictions';
import { resumeFrom } from './resume';
import { RuntimeRouter } from './runtime-routing';
import { streamedCall } from './stream-call';
import { evaluateStream, ITERABLE_LABELS, streamLabelSet } from './stream-evaluate';
import { streamOutputs } from './stream-predict';
import {
  checkStepOptions,
  stepObjective,
  type TrainOnBatchOptions,
  type TrainOnBatchResult,
  trainStep,
} from './train-on-batch';
import { holdTrainingBackend } from './training-backend';

export type { FitArgs, FitOptions } from './fit-options';
export type { ModelMetadata } from './metadata';

export interface EvaluateOptions {
  batchSize?: number;
}

export interface PredictOptions {
  batchSize?: number;
  /** Run this prediction on a registered inference runtime (by its backend name) instead of tfjs. */
  backend?: string;
  /**
   * Says whether a tensor or nested array is a batch (`true`) or one sample (`false`), and types the result to
   * match; checked against the model's sample rank. Default: told by the rank.
   */
  batch?: boolean;
}

export type History = HistoryRecord;

/**
 * `evaluate`'s result: the loss and each metric, by the names history uses. A model compiled with `metrics`
 * names them in the type (`{ loss, accuracy }`); otherwise the metrics follow from the loss at fit time.
 */
export type EvaluateResult<M extends string = string> = { loss: number } & Record<M, number>;

/** A model compiled with metrics `M`: evaluate reports each of them. */
export interface Evaluates<M extends MetricName> {
  evaluate(
    x: Dataset | ImageStream | NumericInput,
    y?: LabelInput | EvaluateOptions,
    options?: EvaluateOptions,
  ): Promise<EvaluateResult<M>>;
}

/** How the last fit ended; `solver`, `reason`, `weightDecay` and `iterations` say how it trained (fit-plan.ts). */
export interface FitSummary extends FitChoice {
  stoppedBy: StopReason;
  epochs: number;
  featureCache: boolean;
  backend: string;
  /**
   * The learning rate the fit started with (fit's option, else compile's, else the default in effect); a solved
   * head (`solver` 'lbfgs') uses none, and this is then the rate a gradient fit would have used.
   */
  learningRate: number;
  /** The rate at the fit's end: differs where a schedule (oneCycle, reduceLROnPlateau) changed it. */
  finalLearningRate: number;
  /** This fit's own values per epoch (`model.history` holds every fit's, appended). */
  history: History;
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
    const parsed = parseFitArgs(args);
    const endFit = this.lifecycle.beginFit();
    const scope = new Scope();
    let release = () => {};
    try {
      const backend = await holdTrainingBackend();
      release = backend.release;
      if (parsed.opts.checkpoint) await checkCheckpointTarget(parsed.opts.checkpoint.to);
      if (!this.isBuilt && parsed.opts.seed !== undefined) this.fitSeed ??= parsed.opts.seed;
      const progress = progressFor(parsed.options);
      const call = await streamedCall(parsed, this.stage, progress, scope);
      const data = await resolveFitData(call, this.stage, this.classNames, scope);
      const objective = await resolveFitObjective(this.objective, this.net, data);
      const trainLoss = await classWeightedLoss(call.options.classWeight, objective, outputUnits(this.net), data);
      const start = call.opts.resume
        ? await resumeFrom(call.opts.resume, this.net, this.optimizer, call.opts.learningRate)
        : { epoch: 0, history: this.history };
      const staged = await stageInputs(this.stage, data, call.opts, progress, scope);
      const plan = await planFit(call, { stage: this.stage, data, inputs: staged, objective }, progress, scope);
      const { opts, inputs } = plan;
      const optimizer = this.optimizer.get(opts.learningRate, inputs.train.net.trainableWeights);
      const history = new HistoryCallback(start.history);
      const hasValidation = plan.data.val !== null;
      const parts = { progress, history, trainNet: inputs.train.net, net: this.net, optimizer, hasValidation };
      const callbacks = fitCallbacks(call.options, opts, parts);
      const control = new FitControl(optimizer);
      this.control = control;
      const spec = { ...trainSpec(inputs, plan.data, objective, optimizer), trainLoss };
      const unsettle = this.settle(objective, data);
      const loopOptions = { ...opts, initialEpoch: start.epoch };
      const { value: result, ...rates } = await restoringRate(optimizer, () =>
        runPlan(plan, spec, loopOptions, callbacks, control),
      ).catch((e) => unsettle(e));
      const summary = { ...result, ...rates, featureCache: inputs.train.featureCache, backend: backend.choice.name };
      await this.adoptFit(history, { ...summary, history: history.history });
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

  /**
   * What a fit settles (loss, metrics, task, class names) is the model's from the fit's start, so a save() from
   * a callback writes it; a fit that throws puts the old values back (the returned function, which rethrows).
   */
  private settle(objective: ResolvedObjective, data: FitData): (e: unknown) => never {
    const before = { objective: { ...this.objective }, classNames: this.classNames };
    Object.assign(this.objective, settledObjective(this.objective, objective, this.net));
    this.classNames ??= data.classNames;
    return (e) => {
      for (const k of Object.keys(this.objective)) delete this.objective[k as keyof Objective];
      Object.assign(this.objective, before.objective);
      this.classNames = before.classNames;
      throw e;
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
      const raw = isDataset ? x : scope.own(toDataset(x as NumericInput, y as LabelInput));
      await raw.validate();
      const data = own(scope, raw, await mapClasses(raw, this.classNames, raw.classNames, 'trainOnBatch'));
      const info = await data.labels();
      if (!info) throw new GraftError('INVALID_LABEL', 'trainOnBatch needs labels');
      checkSample(this.stage, data.sampleShape, 'x');
      const objective = stepObjective(() => resolveObjective(this.objective, this.net, info), opts);
      const optimizer = (vars: LayersModel['trainableWeights']) => this.optimizer.get(undefined, vars);
      const parts = { stage: this.stage, data, optimizer, ...objective };
      const result = await trainStep(parts, opts);
      this.classNames ??= data.classNames;
      return result;
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
    return this.labelled('evaluate', x, y, options, async (run) => {
      const { lossFn, metricNames, metrics } = run.objective;
      const spec = { net: run.net, loss: lossFn, metrics, batchSize: run.batchSize };
      // a stream brings its labels up front and is decoded batch by batch (model/stream-evaluate.ts)
      const values = run.stream
        ? await evaluateStream(run.stream, run.y, (b) => this.stage.inference(b), spec)
        : await evaluateTensors(run.net, lossFn, metrics, run.inputs, run.y, run.batchSize);
      const out: Record<string, number> = { loss: values[0] };
      metricNames.forEach((m, i) => {
        out[m] = values[i + 1];
      });
      return out as EvaluateResult;
    });
  }

  /** Rows true classes, columns predicted (sklearn's layout), with per-class precision, recall, F1 and a text form. */
  async confusionMatrix(
    x: Dataset | NumericInput,
    y?: LabelInput | EvaluateOptions,
    options: EvaluateOptions = {},
  ): Promise<ConfusionMatrix> {
    if (x instanceof ImageStream) refuseStream('confusionMatrix reads a Dataset in memory');
    return this.labelled('confusionMatrix', x, y, options, (run) => confusionOf(run, this.classNames));
  }

  /** The checks and data an evaluation runs on (evaluate, confusionMatrix), freed when `body` ends. */
  private async labelled<T>(
    what: string,
    x: Dataset | ImageStream | NumericInput,
    y: LabelInput | EvaluateOptions | undefined,
    options: EvaluateOptions,
    body: (run: LabelledRun & { stream: ImageStream | null }) => Promise<T>,
  ): Promise<T> {
    this.lifecycle.usable(what);
    if (x instanceof ImageIterable) refuseStream(ITERABLE_LABELS);
    const stream = x instanceof ImageStream ? x : null;
    const isDataset = x instanceof Dataset || stream !== null;
    const batchSize = (isDataset ? (y as EvaluateOptions | undefined) : options)?.batchSize ?? 32;
    checkBatchSize(batchSize);
    const scope = new Scope();
    const raw = stream
      ? scope.own(streamLabelSet(stream))
      : x instanceof Dataset
        ? x
        : scope.own(toDataset(x as NumericInput, y as LabelInput));
    try {
      await backends.ensure();
      await raw.validate();
      const data = own(scope, raw, await mapClasses(raw, this.classNames, raw.classNames, what));
      const info = await data.labels();
      if (!info) throw new GraftError('INVALID_LABEL', `${what} needs labels`);
      const net = this.net;
      checkSample(this.stage, stream?.sampleShape ?? data.sampleShape, 'x');
      const objective = resolveObjective(this.objective, net, info);
      // a stream's pixels are read by the body, batch by batch; its Dataset holds labels only
      const inputs = stream ? data.x : await this.stage.inference(data.x);
      if (inputs !== data.x) scope.own(inputs);
      const labels = data.y as tf.Tensor;
      return await body({ net, objective, inputs, y: labels, batchSize, classNames: data.classNames, stream });
    } finally {
      scope.dispose();
    }
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
    // a stream is decoded and predicted batch by batch (model/stream-predict.ts)
    const stream = x instanceof ImageStream || x instanceof ImageIterable ? x : null;
    const { batch, single } = stream
      ? { batch: null, single: false }
      : await toPredictBatch(x, this.stage, options.batch);
    let out: tf.Tensor | null = null;
    try {
      const run = (b: tf.Tensor) => this.predictTensor(b, options);
      out = stream ? await streamOutputs(stream, run) : await run(batch as tf.Tensor);
      let rows = (await out.data()) as Float32Array;
      const width = out.shape.slice(1).reduce((a, b) => a * b, 1);
      const net = this.net;
      const task = this.objective.task ?? taskFor(outputActivation(net), outputUnits(net), this.objective.loss);
      if (outputIsLogits(this.objective, outputActivation(net))) rows = squash(rows, width, task !== 'classification');
      // the task decides the shape, as P (from the head's task, when typed) says
      const preds = formatPredictions(task, rows, width, this.classNames) as P[];
      return single ? preds[0] : preds;
    } finally {
      batch?.dispose();
      out?.dispose();
    }
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
    if (this.builtNet) this.disposeNet(this.builtNet);
    this.builtNet = null;
  }

  /** Frees what the model owns of its network (all of it here; a transfer model keeps its caller's base). */
  protected disposeNet(net: LayersModel): void {
    net.dispose();
  }
}
