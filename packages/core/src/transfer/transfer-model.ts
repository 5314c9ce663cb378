import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type AugmentSpec, augmentation } from '../builder/augment/pipeline';
import type { Dataset } from '../data/dataset';
import { describe, GraftError } from '../errors/graft-error';
import type { FitOptions } from '../model/fit-options';
import { setBatchNormMode } from '../model/frozen-batchnorm';
import { Model } from '../model/model';
import { checkLearningRate } from '../model/optimizers';
import type { PredictInput } from '../model/predict-input';
import type { PredictionFor } from '../model/prediction-types';
import type { ClassPrediction, Prediction, Task } from '../model/predictions';
import { OneCycle, type OneCycleOptions } from '../training/one-cycle';
import type { Backbone, Preprocessing } from './backbone';
import { type EmbedSource, rawSampleSpec } from './embed-source';
import { FrozenStemStage } from './frozen-stem-stage';
import type { GraphExtractorOptions, GraphModelLike } from './graph-extractor';
import { checkUnits, classifier, type HeadSpec, isHeadSpec } from './head-spec';
import { toBackbone } from './to-backbone';
import { type Pooling, TransferGraph } from './transfer-graph';
import { layersToUnfreeze, type UnfreezeOptions } from './unfreeze';

export type { Pooling } from './transfer-graph';
export type { UnfreezeOptions } from './unfreeze';

export interface TransferOptions extends GraphExtractorOptions {
  /** Seeds the head's initial weights. */
  seed?: number;
}

export interface FineTuneOptions extends FitOptions {
  /** Epochs with the base unfrozen (default 1; fastai's `epochs`). */
  epochs?: number;
  /**
   * Epochs training the head alone first (fastai's `freeze_epochs`, on its one-cycle warm-up). Default: with no
   * `learningRate` either, the head trains as `fit` does without epochs (a linear head solved on cached
   * features, another head until held-out loss stops improving); else 1, as fastai.
   */
  headEpochs?: number;
  /** Peak rate of the head phase when it runs by epochs (default: compile's, else fastai's base_lr 2e-3). */
  learningRate?: number;
  /** Layers re-opened for the second phase (default: the whole base; BatchNorm in inference mode). */
  unfreeze?: UnfreezeOptions | string[];
  /**
   * Peak rate of the second phase (default: the head phase's / 200, fastai's rate for the earliest layers:
   * 1e-5 from the default 2e-3, the Keras guide's fine-tuning rate).
   */
  fineTuneLearningRate?: number;
  /**
   * 'oneCycle' (default): each phase follows fastai's one-cycle policy as `fine_tune` runs it (head phase: a
   * warm-up over 99% of its steps; second phase: up from a fifth of the peak over 30%, then down);
   * 'constant': each phase at its peak rate throughout.
   */
  schedule?: 'oneCycle' | 'constant';
}

/** fastai's `fine_tune` base_lr: the head phase's peak when neither fineTune nor compile names a rate. */
export const FINE_TUNE_BASE_RATE = 2e-3;

/** The fine-tuning learning rate used when none is given after `unfreeze` (the Keras guide's choice for Adam). */
export const FINE_TUNE_LEARNING_RATE = 1e-5;

/**
 * A pretrained base with a new head: `transfer(base).freeze().addHead(5).fit(data)`. The builder and the graph
 * surgery; training runs through Model's pipeline, with a frozen-stem feature stage that caches the base's
 * features while it is frozen. Frozen BatchNorm runs in inference mode (Keras semantics).
 */
export class TransferModel<P extends Prediction = Prediction> extends Model<P> {
  readonly backbone: Backbone;
  private readonly graph: TransferGraph;
  private readonly frozenStem: FrozenStemStage;

  constructor(backbone: Backbone, options: TransferOptions = {}) {
    const graph = new TransferGraph(backbone, options.seed);
    // the stage reaches the joined network through the model, which builds, holds and frees it
    let self: TransferModel<P> | null = null;
    const nets = { stem: () => graph.stem(), head: () => graph.head(), net: () => (self as TransferModel<P>).net };
    const stage = new FrozenStemStage(backbone, nets, backbone.preprocessing);
    super(null, {}, stage);
    self = this;
    this.backbone = backbone;
    this.graph = graph;
    this.frozenStem = stage;
  }

  /** Freezes every layer of the base (Keras `base.trainable = False`). */
  freeze(): this {
    this.lifecycle.idle('freeze');
    if (this.backbone.kind === 'layers') for (const l of this.graph.baseLayers()) l.trainable = false;
    this.optimizer.reset();
    this.frozenStem.refresh();
    return this;
  }

  /**
   * Re-opens the whole base, its last `n` layers, or named layers, for fine-tuning (next fit at 1e-5 by default).
   * As in Keras, BatchNorm gamma/beta train while BatchNorm stays in inference mode; `{ batchNorm: 'train' }`
   * switches the re-opened BatchNorm layers to batch statistics.
   */
  unfreeze(which: UnfreezeOptions | string[] = {}): this {
    this.lifecycle.idle('unfreeze');
    if (this.backbone.kind === 'extractor') {
      throw new GraftError(
        'GRAPH_MODEL_NOT_TRAINABLE',
        `the base "${this.backbone.name}" cannot be unfrozen: ${this.backbone.frozenReason}`,
      );
    }
    const plan = layersToUnfreeze(this.graph.baseLayers(), which);
    for (const l of plan.layers) {
      l.trainable = true;
      setBatchNormMode(l, plan.batchNorm);
    }
    this.optimizer.reset(FINE_TUNE_LEARNING_RATE);
    this.frozenStem.refresh();
    return this;
  }

  /** Takes the base's features at a named layer instead of its output. */
  cut(layerName: string): this {
    this.beforeBuild('cut');
    if (this.backbone.kind !== 'layers')
      throw new GraftError(
        'INVALID_BASE',
        'cut() needs a layers base; name the feature node when wrapping a GraphModel',
      );
    const names = this.backbone.model.layers.map((l) => l.name);
    if (!names.includes(layerName)) {
      throw new GraftError(
        'UNKNOWN_LAYER',
        `expected a layer of the base, got ${describe(layerName)}; layers near the end: ${names.slice(-6).join(', ')}`,
      );
    }
    this.graph.cutAt(layerName);
    this.frozenStem.refresh();
    return this;
  }

  /** How 4-D feature maps become vectors: 'avg' (default), 'max' or 'flatten'. */
  pool(kind: Pooling): this {
    this.beforeBuild('pool');
    if (!['avg', 'max', 'flatten'].includes(kind))
      throw new GraftError('INVALID_OPTION', `expected pool "avg", "max" or "flatten", got ${describe(kind)}`);
    this.graph.poolWith(kind);
    this.frozenStem.refresh();
    return this;
  }

  /** Dropout on the features before the head. */
  dropout(rate: number): this {
    this.beforeBuild('dropout');
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1))
      throw new GraftError('INVALID_HEAD', `expected dropout rate in [0, 1), got ${describe(rate)}`);
    this.graph.headDropout = rate;
    return this;
  }

  /**
   * The new head: a number of classes (a softmax classifier) or a head from `@graftjs/heads`; the model's
   * predictions take the head's type (`addHead(5)` predicts `ClassPrediction`s).
   */
  addHead(head: number): TransferModel<ClassPrediction>;
  addHead<T extends Task>(head: HeadSpec<T>): TransferModel<PredictionFor<T>>;
  addHead(head: number | HeadSpec): TransferModel<Prediction> {
    this.lifecycle.idle('addHead');
    this.beforeBuild('addHead');
    const spec = typeof head === 'number' ? classifier(head) : head;
    if (!isHeadSpec(spec))
      throw new GraftError('INVALID_HEAD', `expected a number of classes or a head spec, got ${describe(head)}`);
    checkUnits(spec.units, 'head units');
    this.graph.headSpec = spec;
    this.setObjective({
      task: spec.task,
      metrics: [...spec.metrics],
      ...(typeof spec.loss === 'string' ? { loss: spec.loss } : { customLoss: spec.loss }),
    });
    return this as TransferModel<Prediction>;
  }

  /** How raw pixels become the base's input (replaces the backbone's); cached features made under the old are freed. */
  preprocess(preprocessing: Preprocessing): this {
    this.lifecycle.idle('preprocess');
    const size = (preprocessing as Preprocessing | undefined)?.size;
    if (!Array.isArray(size) || size.length !== 2 || size.some((d) => !(Number.isInteger(d) && d > 0)))
      throw new GraftError('INVALID_OPTION', `expected preprocessing with size [height, width], got ${describe(size)}`);
    this.frozenStem.usePreprocessing({ ...preprocessing });
    return this;
  }

  /**
   * Augments the training images, never validation or test ones (Keras' random layers' factors, on 0..255 pixels):
   * `augment({ flip: 'horizontal', rotation: 0.1 })`. With a frozen base the features of `views` (default 4)
   * augmented views per image are computed once, cached beside the clean ones, and the head trains on all of them
   * (labels repeated), so augmentation costs 1 + views feature passes, not one per epoch; a base that trains sees
   * each batch augmented afresh. Seeded by `seed`, else the fit's. `augment(null)` turns it off.
   */
  augment(spec: AugmentSpec | null): this {
    this.lifecycle.idle('augment');
    this.frozenStem.useAugmentation(spec === null ? null : augmentation(spec));
    return this;
  }

  /**
   * fastai's `fine_tune`: trains the head with the base frozen, then unfreezes (the whole base by default) and
   * trains on at 1/200 of the peak rate, each phase on a one-cycle schedule (docs/transfer-learning.md).
   */
  async fineTune(data: Dataset, options: FineTuneOptions = {}): Promise<this> {
    this.lifecycle.idle('fineTune');
    const { epochs = 1, headEpochs, unfreeze, fineTuneLearningRate, schedule = 'oneCycle', ...fit } = options;
    if (schedule !== 'oneCycle' && schedule !== 'constant')
      throw new GraftError('INVALID_OPTION', `expected schedule "oneCycle" or "constant", got ${describe(schedule)}`);
    checkLearningRate(fineTuneLearningRate);
    const headRate = fit.learningRate ?? this.optimizer.compiledLearningRate ?? FINE_TUNE_BASE_RATE;
    const scheduled = (cycle: OneCycleOptions) =>
      schedule === 'oneCycle' ? [...(fit.callbacks ?? []), new OneCycle(cycle)] : fit.callbacks;
    this.freeze();
    // neither headEpochs nor learningRate: the head trains as fit does by default (solved, or to convergence)
    const tunedHead = headEpochs !== undefined || fit.learningRate !== undefined;
    const head = { epochs: headEpochs ?? 1, learningRate: headRate, callbacks: scheduled({ pctStart: 0.99 }) };
    await this.fit(data, tunedHead ? { ...fit, ...head } : fit);
    this.unfreeze(unfreeze ?? {});
    // one rate for every layer: fastai's lowest (base_lr / 2 / lr_mult), since a higher one degrades the base
    const lr = fineTuneLearningRate ?? headRate / 200;
    await this.fit(data, { ...fit, epochs, learningRate: lr, callbacks: scheduled({ pctStart: 0.3, div: 5 }) });
    return this;
  }

  /**
   * Base features of images or texts, as `embed(model, x)`: the base up to the cut, pooled and preprocessed as this
   * model's is, in batches; [n, d] float32, the caller's to dispose. Needs no head.
   */
  async embed(x: PredictInput): Promise<tf.Tensor2D> {
    const source = this.embedSource();
    return (await (await import('./embed-input')).embedInput(x, source)).embeddings;
  }

  /** @internal What `embed` runs: this model's base, cut, pooling and preprocessing. */
  embedSource(): EmbedSource {
    this.lifecycle.usable('embed');
    const stage = this.frozenStem;
    return { spec: rawSampleSpec(this.backbone, stage.preprocessing), extract: (rows) => stage.extract(rows) };
  }

  /** @internal The frozen-base stage: feature shards are written through it (shards/write-shard.ts). */
  featureStage(): FrozenStemStage {
    this.lifecycle.usable('writeFeatureShard');
    return this.frozenStem;
  }

  /** Drops cached base features (changes to the base are detected without this; it frees the memory). */
  clearFeatureCache(): void {
    this.lifecycle.idle('clearFeatureCache');
    this.frozenStem.clear();
  }

  /** Whether the next fit can train the head on cached features (the base is frozen and has no random layers). */
  get usesFeatureCache(): boolean {
    this.lifecycle.usable('usesFeatureCache');
    return this.frozenStem.frozen;
  }

  protected build(): tfl.LayersModel {
    this.graph.fallbackSeed = this.fitSeed;
    return this.graph.net();
  }

  /** The base stays the caller's: disposing this model frees the head (and pooling) only, never a shared base. */
  protected override disposeNet(): void {
    this.graph.disposeOwn();
  }

  private beforeBuild(what: string): void {
    this.lifecycle.idle(what);
    if (this.isBuilt)
      throw new GraftError(
        'INVALID_HEAD',
        `${what}() must come before the model is built (by fit, predict or summary)`,
      );
  }
}

/**
 * Starts transfer learning from a pretrained base: a tfjs LayersModel, a GraphModel (always frozen),
 * a zoo backbone, or a graft Model.
 */
export function transfer(
  base: tfl.LayersModel | GraphModelLike | Backbone | Model,
  options: TransferOptions = {},
): TransferModel {
  return new TransferModel(toBackbone(base, options), options);
}
