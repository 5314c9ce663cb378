import * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset';
import type { NumericInput } from '../data/tensorize';
import { describe, GraftError } from '../errors/graft-error';
import { Model } from '../model/model';
import type { BinaryPrediction, ClassPrediction, Prediction } from '../model/predictions';
import { type Activation, checkActivation } from './activations';
import type { Factor } from './augment/factors';
import type { FlipMode } from './augment/geometric';
import { type AffineOptions, type AugmentOptions, augmentSteps, type ColourOptions } from './augment/steps';
import {
  type BatchNormOptions,
  type Conv2dConfig,
  type Conv2dOptions,
  constantBias,
  type DenseConfig,
  type DenseOptions,
  type DepthwiseConv2dConfig,
  type DepthwiseConv2dOptions,
  type DropoutConfig,
  type DropoutOptions,
  INITIALIZERS,
  isConfig,
  type Pair,
  type PoolConfig,
  type PoolOptions,
  type SeparableConv2dConfig,
  type SeparableConv2dOptions,
} from './layer-options';
import {
  centerCropStep,
  type NormalizationOptions,
  normalizationStep,
  type ResizingOptions,
  rescalingStep,
  resizingStep,
} from './preprocess/steps';
import { buildFunctional, type LayerFactory, type SeededInit, type Step } from './residual';

export interface SequentialOptions {
  /** Shape of one sample, without the batch dimension (Keras `input_shape`). */
  inputShape: number[];
  /** Seeds every weight initialiser: same seed, same initial weights. */
  seed?: number;
  name?: string;
}

/** What a residual block's callback gets: the layer methods of a sequential model (its other methods do not count). */
export type LayerStack = Pick<
  SequentialModel,
  | 'dense'
  | 'conv2d'
  | 'separableConv2d'
  | 'depthwiseConv2d'
  | 'maxPool2d'
  | 'avgPool2d'
  | 'globalAvgPool2d'
  | 'globalMaxPool2d'
  | 'batchNorm'
  | 'dropout'
  | 'activation'
  | 'flatten'
  | 'reshape'
  | 'residual'
>;

/** Refuses an initializer name tfjs does not have, at the call that names it. */
function initializers(options: object, layer: string): void {
  for (const [key, v] of Object.entries(options)) {
    if (key === 'biasInitializer' && typeof v === 'number' && Number.isFinite(v)) continue;
    if (key.endsWith('Initializer') && v !== undefined && !(INITIALIZERS as readonly unknown[]).includes(v))
      throw new GraftError(
        'INVALID_LAYER',
        `expected ${layer} ${key} among ${INITIALIZERS.join(', ')}${key === 'biasInitializer' ? ' or a finite number' : ''}, got ${describe(v)}`,
      );
  }
}

function positiveInt(v: unknown, what: string): void {
  if (!(typeof v === 'number' && Number.isInteger(v) && v > 0)) {
    throw new GraftError('INVALID_LAYER', `expected ${what} as a positive integer, got ${describe(v)}`);
  }
}

function pair(v: unknown, what: string): void {
  if (Array.isArray(v)) {
    if (v.length !== 2)
      throw new GraftError('INVALID_LAYER', `expected ${what} as a number or [rows, cols], got ${describe(v)}`);
    for (const x of v) positiveInt(x, what);
  } else positiveInt(v, what);
}

function padding(v: unknown): void {
  if (v !== undefined && v !== 'valid' && v !== 'same') {
    throw new GraftError('INVALID_LAYER', `expected padding "valid" or "same", got ${describe(v)}`);
  }
}

/**
 * The fluent Keras Sequential: each method adds one layer and returns the model, which can `fit` at once.
 * Built on tfjs-layers on first use; layers cannot be added after that.
 */
export class SequentialModel<P extends Prediction = Prediction> extends Model<P> {
  private readonly factories: Step[] = [];
  private readonly options: SequentialOptions;

  constructor(options: SequentialOptions) {
    super(null);
    if (!options || !Array.isArray(options.inputShape) || options.inputShape.length === 0) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected sequential({ inputShape: [...] }) with a non-empty shape, got ${describe(options?.inputShape)}`,
      );
    }
    for (const d of options.inputShape) positiveInt(d, 'every inputShape dimension');
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new GraftError('INVALID_OPTION', `expected seed as an integer, got ${describe(options.seed)}`);
    }
    this.options = { ...options, inputShape: [...options.inputShape] };
  }

  private add(factory: Step): this {
    this.lifecycle.idle('adding a layer');
    if (this.isBuilt) {
      throw new GraftError(
        'INVALID_LAYER',
        'layers cannot be added after the model was built (by fit, predict or summary)',
      );
    }
    this.factories.push(factory);
    return this;
  }

  /** Flattens each sample to a vector. */
  flatten(options: { name?: string } = {}): this {
    return this.add((first) => tfl.layers.flatten({ ...first, ...options }));
  }

  /**
   * Fully connected layer (Keras Dense): `dense(units, options)` or tfjs' `dense({ units, ...options })`. As the
   * last layer it types the predictions: softmax gives `ClassPrediction`, one sigmoid unit `BinaryPrediction`;
   * any other output keeps the `Prediction` union, since compile's loss decides.
   */
  dense(units: number, options: DenseOptions & { activation: 'softmax' }): SequentialModel<ClassPrediction>;
  dense(units: 1, options: DenseOptions & { activation: 'sigmoid' }): SequentialModel<BinaryPrediction>;
  dense(units: number, options?: DenseOptions): SequentialModel;
  dense(config: DenseConfig & { activation: 'softmax' }): SequentialModel<ClassPrediction>;
  dense(config: DenseConfig & { units: 1; activation: 'sigmoid' }): SequentialModel<BinaryPrediction>;
  dense(config: DenseConfig): SequentialModel;
  dense(units: number | DenseConfig, options: DenseOptions = {}): SequentialModel {
    if (isConfig<DenseConfig>(units)) {
      const { units: n, ...rest } = units;
      return this.dense(n, rest);
    }
    positiveInt(units, 'dense units');
    checkActivation(options.activation, 'dense');
    initializers(options, 'dense');
    return this.add((first, init) =>
      tfl.layers.dense({
        ...first,
        units,
        ...options,
        ...constantBias(options.biasInitializer),
        kernelInitializer: (options.kernelInitializer ?? init(this.factories.length, 'kernel')) as never,
        kernelRegularizer: reg(options.kernelRegularizer),
        biasRegularizer: reg(options.biasRegularizer),
      } as never),
    );
  }

  /** 2D convolution over NHWC images (Keras Conv2D); also tfjs' `conv2d({ filters, kernelSize, ...options })`. */
  conv2d(filters: number, kernelSize: Pair, options?: Conv2dOptions): this;
  conv2d(config: Conv2dConfig): this;
  conv2d(filters: number | Conv2dConfig, kernelSize?: Pair, options: Conv2dOptions = {}): this {
    if (isConfig<Conv2dConfig>(filters)) {
      const { filters: f, kernelSize: k, ...rest } = filters;
      return this.conv2d(f, k, rest);
    }
    positiveInt(filters, 'conv2d filters');
    pair(kernelSize, 'conv2d kernelSize');
    if (options.strides !== undefined) pair(options.strides, 'conv2d strides');
    padding(options.padding);
    undilated(options, 'conv2d', 'tfjs 4.22 has no gradient for dilated convolutions');
    checkActivation(options.activation, 'conv2d');
    initializers(options, 'conv2d');
    const idx = this.factories.length;
    return this.add((first, init) =>
      tfl.layers.conv2d({
        ...first,
        filters,
        kernelSize,
        ...options,
        ...constantBias(options.biasInitializer),
        kernelInitializer: (options.kernelInitializer ?? init(idx, 'kernel')) as never,
        kernelRegularizer: reg(options.kernelRegularizer),
        biasRegularizer: reg(options.biasRegularizer),
      } as never),
    );
  }

  /** Depthwise 2D convolution (Keras DepthwiseConv2D); also `depthwiseConv2d({ kernelSize, ...options })`. */
  depthwiseConv2d(kernelSize: Pair, options?: DepthwiseConv2dOptions): this;
  depthwiseConv2d(config: DepthwiseConv2dConfig): this;
  depthwiseConv2d(kernelSize: Pair | DepthwiseConv2dConfig, options: DepthwiseConv2dOptions = {}): this {
    if (isConfig<DepthwiseConv2dConfig>(kernelSize)) {
      const { kernelSize: k, ...rest } = kernelSize;
      return this.depthwiseConv2d(k, rest);
    }
    pair(kernelSize, 'depthwiseConv2d kernelSize');
    if (options.depthMultiplier !== undefined) positiveInt(options.depthMultiplier, 'depthMultiplier');
    padding(options.padding);
    undilated(options, 'depthwiseConv2d', 'tfjs-layers 4.22 ignores it, which would build an undilated layer');
    checkActivation(options.activation, 'depthwiseConv2d');
    initializers(options, 'depthwiseConv2d');
    const idx = this.factories.length;
    return this.add((first, init) =>
      tfl.layers.depthwiseConv2d({
        ...first,
        kernelSize,
        ...options,
        depthwiseInitializer: (options.depthwiseInitializer ?? init(idx, 'depthwise')) as never,
      } as never),
    );
  }

  /**
   * Depthwise-separable 2D convolution (Keras SeparableConv2D): a depthwise convolution, then a 1x1 one to
   * `filters` channels. Also `separableConv2d({ filters, kernelSize, ...options })`.
   */
  separableConv2d(filters: number, kernelSize: Pair, options?: SeparableConv2dOptions): this;
  separableConv2d(config: SeparableConv2dConfig): this;
  separableConv2d(
    filters: number | SeparableConv2dConfig,
    kernelSize?: Pair,
    options: SeparableConv2dOptions = {},
  ): this {
    if (isConfig<SeparableConv2dConfig>(filters)) {
      const { filters: f, kernelSize: k, ...rest } = filters;
      return this.separableConv2d(f, k, rest);
    }
    positiveInt(filters, 'separableConv2d filters');
    pair(kernelSize, 'separableConv2d kernelSize');
    if (options.strides !== undefined) pair(options.strides, 'separableConv2d strides');
    if (options.depthMultiplier !== undefined) positiveInt(options.depthMultiplier, 'depthMultiplier');
    padding(options.padding);
    undilated(options, 'separableConv2d', 'tfjs 4.22 has no gradient for dilated convolutions');
    checkActivation(options.activation, 'separableConv2d');
    initializers(options, 'separableConv2d');
    const idx = this.factories.length;
    return this.add((first, init) =>
      tfl.layers.separableConv2d({
        ...first,
        filters,
        kernelSize,
        ...options,
        depthwiseInitializer: (options.depthwiseInitializer ?? init(idx, 'depthwise')) as never,
        pointwiseInitializer: (options.pointwiseInitializer ?? init(idx, 'pointwise')) as never,
      } as never),
    );
  }

  /**
   * A residual block (Keras' functional `layers.add([block(x), x])`): the layers `block` adds to the stack it gets,
   * then their output plus the block's input. When the block changes the shape, the input is projected first, as in
   * Keras' mini-Xception: a 1x1 convolution to the block's channels strided to its size (a dense layer on vectors).
   * A model with a residual block is built as a tfjs functional model; saved and loaded as any other.
   */
  residual(block: (b: LayerStack) => LayerStack, options: { name?: string } = {}): this {
    if (typeof block !== 'function')
      throw new GraftError('INVALID_LAYER', `expected residual((b) => b.conv2d(...)...), got ${describe(block)}`);
    const stack = new SequentialModel({ inputShape: this.options.inputShape });
    const out = block(stack);
    if (out !== stack)
      throw new GraftError('INVALID_LAYER', 'expected the residual callback to return the stack it was given (b)');
    if (stack.factories.length === 0)
      throw new GraftError('INVALID_LAYER', 'expected a residual block with at least one layer, got none');
    return this.add({ block: [...stack.factories], name: options.name });
  }

  /** Max pooling (Keras MaxPooling2D); strides default to the pool size. Also `maxPool2d({ poolSize })`. */
  maxPool2d(poolSize?: Pair, options?: PoolOptions): this;
  maxPool2d(config: PoolConfig): this;
  maxPool2d(poolSize: Pair | PoolConfig = 2, options: PoolOptions = {}): this {
    if (isConfig<PoolConfig>(poolSize)) {
      const { poolSize: size = 2, ...rest } = poolSize;
      return this.maxPool2d(size, rest);
    }
    pair(poolSize, 'maxPool2d poolSize');
    padding(options.padding);
    return this.add((first) => tfl.layers.maxPooling2d({ ...first, poolSize, ...options } as never));
  }

  /** Average pooling (Keras AveragePooling2D). Also `avgPool2d({ poolSize })`. */
  avgPool2d(poolSize?: Pair, options?: PoolOptions): this;
  avgPool2d(config: PoolConfig): this;
  avgPool2d(poolSize: Pair | PoolConfig = 2, options: PoolOptions = {}): this {
    if (isConfig<PoolConfig>(poolSize)) {
      const { poolSize: size = 2, ...rest } = poolSize;
      return this.avgPool2d(size, rest);
    }
    pair(poolSize, 'avgPool2d poolSize');
    padding(options.padding);
    return this.add((first) => tfl.layers.averagePooling2d({ ...first, poolSize, ...options } as never));
  }

  /** Global average pooling (Keras GlobalAveragePooling2D). */
  globalAvgPool2d(options: { name?: string } = {}): this {
    return this.add((first) => tfl.layers.globalAveragePooling2d({ ...first, ...options }));
  }

  /** Global max pooling (Keras GlobalMaxPooling2D). */
  globalMaxPool2d(options: { name?: string } = {}): this {
    return this.add((first) => tfl.layers.globalMaxPooling2d({ ...first, ...options }));
  }

  /** Batch normalisation (Keras BatchNormalization; momentum 0.99, epsilon 1e-3). */
  batchNorm(options: BatchNormOptions = {}): this {
    if (options.momentum !== undefined && !(options.momentum >= 0 && options.momentum <= 1)) {
      throw new GraftError('INVALID_LAYER', `expected batchNorm momentum in [0, 1], got ${describe(options.momentum)}`);
    }
    if (options.epsilon !== undefined && !(options.epsilon > 0)) {
      throw new GraftError('INVALID_LAYER', `expected batchNorm epsilon > 0, got ${describe(options.epsilon)}`);
    }
    for (const key of ['center', 'scale'] as const) {
      const v = (options as Record<string, unknown>)[key];
      if (v !== undefined && v !== true) {
        throw new GraftError(
          'INVALID_LAYER',
          `expected batchNorm ${key} to be left at true (tfjs-layers 4.22 cannot train BatchNormalization without ${key === 'center' ? 'beta' : 'gamma'}), got ${describe(v)}`,
        );
      }
    }
    return this.add((first) => tfl.layers.batchNormalization({ ...first, ...options }));
  }

  /** Dropout with Keras' `rate` (fraction dropped, active only while training). Also `dropout({ rate })`. */
  dropout(rate: number, options?: DropoutOptions): this;
  dropout(config: DropoutConfig): this;
  dropout(rate: number | DropoutConfig, options: DropoutOptions = {}): this {
    if (isConfig<DropoutConfig>(rate)) {
      const { rate: r, ...rest } = rate;
      return this.dropout(r, rest);
    }
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) {
      throw new GraftError('INVALID_LAYER', `expected dropout rate in [0, 1), got ${describe(rate)}`);
    }
    return this.add((first) => tfl.layers.dropout({ ...first, rate, ...options }));
  }

  /** A standalone activation layer (Keras Activation). Also `activation({ activation })`. */
  activation(name: Activation, options?: { name?: string }): this;
  activation(config: { activation: Activation; name?: string }): this;
  activation(name: Activation | { activation: Activation; name?: string }, options: { name?: string } = {}): this {
    if (isConfig<{ activation: Activation; name?: string }>(name)) {
      const { activation: a, ...rest } = name;
      return this.activation(a, rest);
    }
    checkActivation(name, 'the');
    return this.add((first) => tfl.layers.activation({ ...first, activation: name, ...options } as never));
  }

  /** Reshape each sample (Keras Reshape; one dimension may be -1). Also `reshape({ targetShape })`. */
  reshape(targetShape: number[], options?: { name?: string }): this;
  reshape(config: { targetShape: number[]; name?: string }): this;
  reshape(targetShape: number[] | { targetShape: number[]; name?: string }, options: { name?: string } = {}): this {
    if (isConfig<{ targetShape: number[]; name?: string }>(targetShape)) {
      const { targetShape: t, ...rest } = targetShape;
      return this.reshape(t, rest);
    }
    if (
      !Array.isArray(targetShape) ||
      targetShape.length === 0 ||
      targetShape.some((d) => !Number.isInteger(d) || d === 0 || d < -1) ||
      targetShape.filter((d) => d === -1).length > 1
    ) {
      throw new GraftError(
        'INVALID_LAYER',
        `expected reshape targetShape as positive integers with at most one -1, got ${describe(targetShape)}`,
      );
    }
    return this.add((first) => tfl.layers.reshape({ ...first, targetShape, ...options }));
  }

  /** Keras Rescaling: `x * scale + offset`; `rescaling(1 / 255)` takes 0..255 pixels to 0..1. */
  rescaling(scale: number, offset = 0, options: { name?: string } = {}): this {
    return this.add(rescalingStep(scale, offset, options));
  }

  /** Keras Normalization: `(x - mean) / sqrt(variance)`, statistics given or computed by `adapt(data)`. */
  normalization(options: NormalizationOptions = {}): this {
    return this.add(normalizationStep(options));
  }

  /** Keras Resizing: images to `height` x `width` (bilinear or nearest, half-pixel centres as TF2). */
  resizing(height: number, width: number, options: ResizingOptions = {}): this {
    return this.add(resizingStep(height, width, options));
  }

  /** Keras CenterCrop: the central `height` x `width` window of each image. */
  centerCrop(height: number, width: number, options: { name?: string } = {}): this {
    return this.add(centerCropStep(height, width, options));
  }

  /**
   * Keras `Normalization.adapt`: every normalization layer takes the mean and variance of the data as it reaches
   * the layer (after the layers before it). Builds the model; resolves to it.
   */
  async adapt(data: Dataset | NumericInput, options: { batchSize?: number } = {}): Promise<this> {
    this.lifecycle.idle('adapt');
    const { adaptModel } = await import('./preprocess/adapt');
    await adaptModel(this.net, data, this.stage, options);
    return this;
  }

  /* Augmentation (Keras' random preprocessing layers): active only in fit, the identity at predict and evaluate. */

  /** Keras RandomFlip: each image flipped with probability 1/2 (mode default 'horizontal_and_vertical'). */
  randomFlip(mode?: FlipMode, options: AugmentOptions = {}): this {
    return this.add(augmentSteps.randomFlip(mode, options));
  }

  /** Keras RandomRotation: by a fraction of 2pi drawn from [-factor, factor] (or [lower, upper]); fill 'reflect'. */
  randomRotation(factor: Factor, options: AffineOptions = {}): this {
    return this.add(augmentSteps.randomRotation(factor, options));
  }

  /** Keras RandomZoom: positive factors zoom out, negative in; width keeps the aspect ratio unless given. */
  randomZoom(heightFactor: Factor, widthFactor?: Factor, options: AffineOptions = {}): this {
    return this.add(augmentSteps.randomZoom(heightFactor, widthFactor, options));
  }

  /** Keras RandomTranslation: shifts by fractions of the height and width, each in [-1, 1]. */
  randomTranslation(heightFactor: Factor, widthFactor: Factor, options: AffineOptions = {}): this {
    return this.add(augmentSteps.randomTranslation(heightFactor, widthFactor, options));
  }

  /** Keras RandomCrop: a random window while training; at inference the centred window of that aspect, resized. */
  randomCrop(height: number, width: number, options: AugmentOptions = {}): this {
    return this.add(augmentSteps.randomCrop(height, width, options));
  }

  /** Keras RandomContrast: (x - mean) * f + mean, f from [1 - lower, 1 + upper], clipped to valueRange. */
  randomContrast(factor: Factor, options: ColourOptions = {}): this {
    return this.add(augmentSteps.randomContrast(factor, options));
  }

  /** Keras RandomBrightness: adds factor x (valueRange width) per image, factor in [-1, 1], clipped to valueRange. */
  randomBrightness(factor: Factor, options: ColourOptions = {}): this {
    return this.add(augmentSteps.randomBrightness(factor, options));
  }

  protected build(): tfl.LayersModel {
    if (this.factories.length === 0) {
      throw new GraftError('NOT_BUILT', 'the sequential model has no layers: add at least one (e.g. .dense(10))');
    }
    const seed = this.options.seed ?? this.fitSeed;
    // pointwise kernels draw from their own seed range, apart from the depthwise kernel of the same layer
    const init: SeededInit = (i, kind) =>
      seed === undefined
        ? undefined
        : tfl.initializers.glorotUniform({ seed: seed * 7919 + i + (kind === 'pointwise' ? 104729 : 0) });
    if (this.factories.some((f) => typeof f !== 'function')) return this.buildResidual(init);
    const model = tfl.sequential({ name: this.options.name });
    let pending: tfl.layers.Layer | null = null;
    try {
      this.factories.forEach((f, i) => {
        pending = (f as LayerFactory)(i === 0 ? { inputShape: this.options.inputShape } : {}, init);
        model.add(pending);
        pending = null;
      });
    } catch (e) {
      // free what was built: the layers added so far and any weights the failing layer made
      for (const w of (pending as tfl.layers.Layer | null)?.weights ?? []) w.dispose();
      try {
        model.dispose();
      } catch {
        for (const l of model.layers) for (const w of l.weights) w.dispose();
      }
      throw new GraftError('INVALID_LAYER', `the layers do not fit together: ${(e as Error).message}`);
    }
    return model;
  }

  /** The functional build of a stack with residual blocks; frees every layer made if the layers do not fit. */
  private buildResidual(init: SeededInit): tfl.LayersModel {
    const made: tfl.layers.Layer[] = [];
    try {
      return buildFunctional(this.factories, this.options.inputShape, init, made, this.options.name);
    } catch (e) {
      for (const l of made) for (const w of l.weights) w.dispose();
      if (e instanceof GraftError) throw e;
      throw new GraftError('INVALID_LAYER', `the layers do not fit together: ${(e as Error).message}`);
    }
  }
}

function reg(r?: { l1?: number; l2?: number }): unknown {
  if (!r) return undefined;
  return tfl.regularizers.l1l2({ l1: r.l1 ?? 0, l2: r.l2 ?? 0 });
}

/** Starts a Keras-style Sequential model: `sequential({ inputShape: [28, 28] }).flatten().dense(10, ...)`. */
export function sequential(options: SequentialOptions): SequentialModel {
  return new SequentialModel(options);
}

/** Refuses a dilation rate other than 1, which `why` explains. */
function undilated(options: object, layer: string, why: string): void {
  const rate = (options as { dilationRate?: unknown }).dilationRate;
  if (rate === undefined || rate === 1 || (Array.isArray(rate) && rate.length === 2 && rate[0] === 1 && rate[1] === 1))
    return;
  throw new GraftError('INVALID_LAYER', `expected no ${layer} dilationRate (or 1): ${why}; got ${describe(rate)}`);
}
