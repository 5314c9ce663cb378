import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type Dataset, originOf } from '../data/dataset';
import { describe, GraftError } from '../errors/graft-error';
import { type ExportSource, exportFormatForPath } from '../io/exporters';
import { type FitOptions, Model, type NormalisedFitOptions, type TrainingInputs } from '../model/model';
import type { ProgressEvent } from '../training/callbacks';
import { dropoutLayers } from '../training/random-layers';
import { type Backbone, type ExtractorBackbone, isBackbone, type LayersBackbone, type Preprocessing } from './backbone';
import { FeatureCache } from './feature-cache';
import { type GraphExtractorOptions, type GraphModelLike, graphExtractor, isGraphModel } from './graph-extractor';
import { buildHead, classifier, type HeadSpec, isHeadSpec } from './head-spec';

export type Pooling = 'avg' | 'max' | 'flatten';

export interface TransferOptions extends GraphExtractorOptions {
  /** Seeds the head's initial weights. */
  seed?: number;
}

export interface UnfreezeOptions {
  /** Re-open the last `n` layers of the base (Keras counting: every layer, weighted or not). */
  last?: number;
  /**
   * Let unfrozen BatchNormalization layers train (batch statistics, moving averages updated). Default false:
   * as the Keras fine-tuning guide advises, BN stays in inference mode so small batches do not wreck it.
   */
  batchNorm?: boolean;
}

export interface FineTuneOptions extends FitOptions {
  /** Epochs with the base unfrozen (default 1). */
  epochs?: number;
  /** Epochs training the head alone first (default 1). */
  headEpochs?: number;
  /** Layers re-opened for the second phase (default: the whole base). */
  unfreeze?: UnfreezeOptions | string[];
  /** Learning rate of the second phase (default: a tenth of the first's). */
  fineTuneLearningRate?: number;
}

type AnyLayer = tfl.layers.Layer & { layers?: AnyLayer[] };

/** The fine-tuning learning rate used when none is given after `unfreeze` (the Keras guide's choice for Adam). */
export const FINE_TUNE_LEARNING_RATE = 1e-5;

/**
 * A pretrained base with a new head: `transfer(base).freeze().addHead(5).fit(data)`. Frozen BatchNorm
 * runs in inference mode (Keras semantics); with a frozen base the base's features are computed once and cached.
 */
export class TransferModel extends Model {
  readonly backbone: Backbone;
  private cutAt?: string;
  private pooling?: Pooling;
  private headDropout?: number;
  private headSpec: HeadSpec | null = null;
  private readonly seed?: number;
  private head: tfl.LayersModel | null = null;
  private stem: tfl.LayersModel | null = null;
  private readonly cache = new FeatureCache();
  private version = 0;
  private unfrozenSinceFit = false;

  constructor(backbone: Backbone, options: TransferOptions = {}) {
    super(null, { preprocessing: backbone.preprocessing });
    this.backbone = backbone;
    this.seed = options.seed;
  }

  /** Freezes every layer of the base (Keras `base.trainable = False`). */
  freeze(): this {
    if (this.backbone.kind === 'layers') {
      for (const l of this.baseLayers()) l.trainable = false;
    }
    this.frozenSetChanged();
    return this;
  }

  /** Re-opens the whole base, its last `n` layers, or named layers, for fine-tuning. */
  unfreeze(which: UnfreezeOptions | string[] = {}): this {
    if (this.backbone.kind === 'extractor') {
      throw new GraftError(
        'GRAPH_MODEL_NOT_TRAINABLE',
        `the base "${this.backbone.name}" cannot be unfrozen: ${this.backbone.frozenReason}`,
      );
    }
    const layers = this.baseLayers();
    let chosen: AnyLayer[];
    let batchNorm = false;
    if (Array.isArray(which)) {
      const byName = new Map(layers.map((l) => [l.name, l]));
      const missing = which.filter((n) => !byName.has(n));
      if (missing.length) {
        throw new GraftError(
          'UNKNOWN_LAYER',
          `the base has no layer(s) ${missing.map((m) => JSON.stringify(m)).join(', ')}; its last layers are ${layers
            .slice(-5)
            .map((l) => l.name)
            .join(', ')}`,
        );
      }
      chosen = which.map((n) => byName.get(n) as AnyLayer);
    } else {
      if (typeof which !== 'object' || which === null)
        throw new GraftError(
          'INVALID_OPTION',
          `expected unfreeze({ last }) or unfreeze([names]), got ${describe(which)}`,
        );
      batchNorm = which.batchNorm ?? false;
      const n = which.last ?? layers.length;
      if (!(Number.isInteger(n) && n > 0))
        throw new GraftError(
          'UNFREEZE_OUT_OF_RANGE',
          `expected last as a positive integer, got ${describe(which.last)}`,
        );
      if (n > layers.length) {
        throw new GraftError('UNFREEZE_OUT_OF_RANGE', `expected last <= ${layers.length} (the base's depth), got ${n}`);
      }
      chosen = layers.slice(layers.length - n);
    }
    for (const l of chosen) {
      if (l.getClassName() === 'BatchNormalization' && !batchNorm && !Array.isArray(which)) continue;
      l.trainable = true;
    }
    this.unfrozenSinceFit = true;
    this.frozenSetChanged();
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
    this.cutAt = layerName;
    this.frozenSetChanged();
    return this;
  }

  /** How 4-D feature maps become vectors: 'avg' (default), 'max' or 'flatten'. */
  pool(kind: Pooling): this {
    this.beforeBuild('pool');
    if (!['avg', 'max', 'flatten'].includes(kind))
      throw new GraftError('INVALID_OPTION', `expected pool "avg", "max" or "flatten", got ${describe(kind)}`);
    this.pooling = kind;
    return this;
  }

  /** Dropout on the features before the head. */
  dropout(rate: number): this {
    this.beforeBuild('dropout');
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1))
      throw new GraftError('INVALID_HEAD', `expected dropout rate in [0, 1), got ${describe(rate)}`);
    this.headDropout = rate;
    return this;
  }

  /** The new head: a number of classes (a softmax classifier) or a head from `@graftjs/heads`. */
  addHead(head: number | HeadSpec): this {
    this.beforeBuild('addHead');
    const spec = typeof head === 'number' ? classifier(head) : head;
    if (!isHeadSpec(spec))
      throw new GraftError('INVALID_HEAD', `expected a number of classes or a head spec, got ${describe(head)}`);
    if (!(Number.isInteger(spec.units) && spec.units > 0))
      throw new GraftError('INVALID_HEAD', `expected head units as a positive integer, got ${describe(spec.units)}`);
    this.headSpec = spec;
    this.task = spec.task;
    if (typeof spec.loss === 'string') this.loss = spec.loss;
    else this.customLoss = spec.loss;
    this.metrics = [...spec.metrics];
    return this;
  }

  /**
   * fastai's fine_tune: trains the head with the base frozen, then unfreezes (the whole base by default) and
   * trains on at a tenth of the learning rate.
   */
  async fineTune(data: Dataset, options: FineTuneOptions = {}): Promise<this> {
    const { epochs = 1, headEpochs = 1, unfreeze, fineTuneLearningRate, ...fit } = options;
    this.freeze();
    await this.fit(data, { ...fit, epochs: headEpochs });
    this.unfreeze(unfreeze ?? {});
    const lr = fineTuneLearningRate ?? (fit.learningRate ?? this.compileOptions.learningRate ?? 1e-3) / 10;
    await this.fit(data, { ...fit, epochs, learningRate: lr });
    return this;
  }

  /** Drops cached base features (call after changing base weights by hand). */
  clearFeatureCache(): void {
    this.cache.clear();
  }

  /** Whether the next fit can train the head on cached features. */
  get usesFeatureCache(): boolean {
    if (this.backbone.kind === 'extractor') return true;
    const stem = this.stemModel();
    return stem.trainableWeights.length === 0 && dropoutLayers(stem).length === 0;
  }

  async fit(...args: Parameters<Model['fit']>): Promise<this> {
    const hadTrainableBase =
      this.backbone.kind === 'layers' && this.isBuilt && this.stemModel().trainableWeights.length > 0;
    try {
      return await super.fit(...args);
    } finally {
      // a base that trained has new weights: its cached features are stale
      if (hadTrainableBase || (this.backbone.kind === 'layers' && this.stemModel().trainableWeights.length > 0)) {
        this.version++;
        this.cache.clear();
      }
      this.cache.prune();
      this.unfrozenSinceFit = false;
    }
  }

  /** After `unfreeze`, the next fit without a learning rate uses the fine-tuning default. */
  protected defaultLearningRate(): number | undefined {
    return this.unfrozenSinceFit ? FINE_TUNE_LEARNING_RATE : undefined;
  }

  protected build(): tfl.LayersModel {
    if (!this.headSpec)
      throw new GraftError(
        'NOT_BUILT',
        'the transfer model has no head yet: call addHead(numClasses) or addHead(head)',
      );
    if (this.backbone.kind === 'extractor') {
      const fs = this.backbone.featureShape;
      this.head = buildHead(this.specWithDropout(), fs.length > 1 ? [fs.reduce((a, b) => a * b, 1)] : fs, this.seed);
      return this.head;
    }
    const stem = this.stemModel();
    const featureShape = stem.outputs[0].shape.slice(1) as number[];
    this.head = buildHead(this.specWithDropout(), featureShape, this.seed);
    const out = this.head.apply(stem.outputs[0]) as tfl.SymbolicTensor;
    return tfl.model({ inputs: stem.inputs, outputs: out, name: `${this.backbone.name}_transfer` });
  }

  private specWithDropout(): HeadSpec {
    const spec = this.headSpec as HeadSpec;
    return this.headDropout !== undefined && spec.dropout === undefined ? { ...spec, dropout: this.headDropout } : spec;
  }

  /** The base up to its feature layer, plus pooling: everything before the head. */
  private stemModel(): tfl.LayersModel {
    if (this.stem) return this.stem;
    const b = this.backbone as LayersBackbone;
    const layerName = this.cutAt ?? b.featureLayer;
    let out = (layerName ? b.model.getLayer(layerName).output : b.model.outputs[0]) as tfl.SymbolicTensor;
    if (out.shape.length === 4) {
      const kind = this.pooling ?? 'avg';
      const layer =
        kind === 'avg'
          ? tfl.layers.globalAveragePooling2d({ name: 'graft_pool' })
          : kind === 'max'
            ? tfl.layers.globalMaxPooling2d({ name: 'graft_pool' })
            : tfl.layers.flatten({ name: 'graft_pool' });
      out = layer.apply(out) as tfl.SymbolicTensor;
    }
    this.stem = tfl.model({ inputs: b.model.inputs, outputs: out, name: `${b.name}_features` });
    return this.stem;
  }

  /** The base's layers up to the cut, in order, without the input layer. */
  private baseLayers(): AnyLayer[] {
    const b = this.backbone as LayersBackbone;
    const layers = b.model.layers as AnyLayer[];
    const stop = this.cutAt ?? b.featureLayer;
    const end = stop ? layers.findIndex((l) => l.name === stop) + 1 : layers.length;
    return layers.slice(0, end).filter((l) => l.getClassName() !== 'InputLayer');
  }

  private beforeBuild(what: string): void {
    if (this.isBuilt)
      throw new GraftError(
        'INVALID_HEAD',
        `${what}() must come before the model is built (by fit, predict or summary)`,
      );
  }

  private frozenSetChanged(): void {
    this.version++;
    this.cache.clear();
    this.resetOptimizer();
  }

  protected async trainingInputs(
    x: tf.Tensor,
    opts: NormalisedFitOptions,
    progress?: (e: ProgressEvent) => void,
    useCache?: boolean,
  ): Promise<TrainingInputs> {
    const net = this.net;
    const cacheable = opts.featureCache && this.usesFeatureCache && useCache !== false;
    if (this.backbone.kind === 'extractor' || cacheable) {
      const head = this.head as tfl.LayersModel;
      if (cacheable) {
        const key = `${this.version}|${this.baseStorageKey()}|${JSON.stringify(this.preprocessing ?? null)}`;
        const origin = originOf(x);
        if (origin) {
          // a split of a Dataset seen before: features of the whole source, computed once, rows gathered
          const all = await this.cache.get(origin.source, key, () => this.computeFeatures(origin.source, progress));
          const rows = tf.tensor1d(origin.rows, 'int32');
          const features = tf.gather(all, rows);
          rows.dispose();
          return { net: head, x: features, owned: true, featureCache: true };
        }
        const features = await this.cache.get(x, key, () => this.computeFeatures(x, progress));
        return { net: head, x: features, owned: false, featureCache: true };
      }
      return { net: head, x: await this.computeFeatures(x, progress), owned: true, featureCache: false };
    }
    const input = this.preprocessed(x);
    return { net, x: input, owned: input !== x, featureCache: false };
  }

  protected expectedSampleShape(): (number | null)[] {
    return this.backbone.kind === 'extractor' ? this.backbone.inputShape : super.expectedSampleShape();
  }

  protected async inferenceInputs(x: tf.Tensor): Promise<tf.Tensor> {
    if (this.backbone.kind === 'extractor') return this.computeFeatures(x);
    return super.inferenceInputs(x);
  }

  /**
   * Identifies the current storage of every base weight: tfjs gives a weight new storage whenever it is
   * written (setWeights, assign, another model training the shared base), so stale features are never served.
   */
  private baseStorageKey(): string {
    if (this.backbone.kind !== 'layers') return '';
    return this.stemModel()
      .weights.map((w) => storageId((w.read() as unknown as { dataId: object }).dataId))
      .join(',');
  }

  /** Base features for raw inputs, batch by batch on the active backend. */
  private async computeFeatures(x: tf.Tensor, progress?: (e: ProgressEvent) => void): Promise<tf.Tensor> {
    const n = x.shape[0];
    const batch = 32;
    const parts: tf.Tensor[] = [];
    const start = performance.now();
    try {
      for (let i = 0; i < n; i += batch) {
        const size = Math.min(batch, n - i);
        const input = tf.tidy(() => this.preprocessed(tf.slice(x, i, size)));
        try {
          if (this.backbone.kind === 'extractor') {
            const f = await (this.backbone as ExtractorBackbone).extract(input);
            parts.push(f.rank > 2 ? tf.tidy(() => tf.reshape(f, [f.shape[0], -1])) : f);
            if (f.rank > 2) f.dispose();
          } else {
            const stem = this.stemModel();
            parts.push(tf.tidy(() => stem.apply(input, { training: false }) as tf.Tensor));
          }
        } finally {
          input.dispose();
        }
        if (progress) {
          const done = i + size;
          const rate = done / ((performance.now() - start) / 1000 || 1e-9);
          progress({
            epoch: 0,
            epochs: 1,
            batch: i / batch,
            batches: Math.ceil(n / batch),
            fraction: done / n,
            etaSeconds: (n - done) / rate,
            samplesPerSecond: rate,
            featureCache: true,
            phase: 'features',
          });
        }
        await new Promise((r) => setTimeout(r, 0));
      }
      const out = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
      if (parts.length > 1) for (const p of parts) p.dispose();
      parts.length = 0;
      return out;
    } finally {
      // on any failure, free the batches computed so far
      for (const p of parts) p.dispose();
    }
  }

  protected exportSource(): ExportSource {
    return {
      net: this.net,
      extractor: this.backbone.kind === 'extractor' ? this.backbone : undefined,
      preprocessing: this.preprocessing,
      classNames: this.classNames,
    };
  }

  async save(target: string | tf.io.IOHandler): Promise<void> {
    if (this.backbone.kind === 'extractor' && !(typeof target === 'string' && exportFormatForPath(target))) {
      throw new GraftError(
        'UNSUPPORTED_TARGET',
        `a model on the non-tfjs base "${this.backbone.name}" cannot be saved in the tfjs layers format; save it to a path with the extension of its base's export format (backends.list() shows each format's extensions), or export() it`,
      );
    }
    return super.save(target);
  }

  async dispose(): Promise<void> {
    this.cache.clear();
    await super.dispose();
    this.stem = null;
    this.head = null;
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

function toBackbone(base: unknown, options: TransferOptions): Backbone {
  if (isBackbone(base)) return base;
  if (base instanceof Model) {
    const meta = base.metadata();
    return layersBackbone(base.net, options.preprocessing ?? meta.preprocessing);
  }
  if (base instanceof tfl.LayersModel) return layersBackbone(base, options.preprocessing);
  if (isGraphModel(base)) return graphExtractor(base, options);
  throw new GraftError(
    'INVALID_BASE',
    `expected a tfjs LayersModel, a GraphModel, a zoo backbone or a graft Model, got ${describe(base)}`,
  );
}

function layersBackbone(model: tfl.LayersModel, preprocessing?: Preprocessing): LayersBackbone {
  return {
    kind: 'layers',
    name: model.name,
    model,
    inputShape: model.inputs[0].shape.slice(1) as number[],
    preprocessing,
  };
}

const STORAGE_IDS = new WeakMap<object, number>();
let nextStorageId = 1;

function storageId(dataId: object): number {
  let id = STORAGE_IDS.get(dataId);
  if (id === undefined) {
    id = nextStorageId++;
    STORAGE_IDS.set(dataId, id);
  }
  return id;
}
