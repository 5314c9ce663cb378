import * as tfl from '@tensorflow/tfjs-layers';
import type { Activation } from './activations';

/**
 * tfjs' initializer names (Keras' in camelCase), each with its tfjs/Keras default arguments. Not 'constant': it
 * needs a value, which a name cannot carry (tfjs refuses it too). Not 'orthogonal': tfjs-layers 4.22's one calls
 * chained tensor methods (`rMat.flatten()`) that graft does not load, so it fails at build.
 */
export const INITIALIZERS = [
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'identity',
  'leCunNormal',
  'leCunUniform',
  'ones',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'zeros',
] as const;
type Initializer = (typeof INITIALIZERS)[number];

/** A number as bias initializer is Keras' `Constant(value)`; a name stays a name (what tfjs-layers takes). */
export function constantBias(v: unknown): { biasInitializer?: unknown } {
  return typeof v === 'number' ? { biasInitializer: tfl.initializers.constant({ value: v }) } : {};
}
type Regularizer = { l1?: number; l2?: number };
export type Padding = 'valid' | 'same';
type Pair = number | [number, number];

interface Named {
  name?: string;
  /** false freezes the layer (Keras `trainable`). */
  trainable?: boolean;
}

/** Keras Dense options. */
export interface DenseOptions extends Named {
  activation?: Activation;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  /** A name, or a number for a constant bias (Keras `Constant(b)`). */
  biasInitializer?: Initializer | number;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
}

/** Keras Conv2D options (`kernelSize` is the second argument of `conv2d`). */
export interface Conv2dOptions extends DenseOptions {
  strides?: Pair;
  padding?: Padding;
  // no dilationRate: tfjs 4.22 has no gradient for dilated convolutions (refused with INVALID_LAYER)
}

export interface DepthwiseConv2dOptions extends Named {
  depthMultiplier?: number;
  strides?: Pair;
  padding?: Padding;
  activation?: Activation;
  useBias?: boolean;
  // no dilationRate: tfjs-layers 4.22 drops it from DepthwiseConv2D (refused with INVALID_LAYER)
  depthwiseInitializer?: Initializer;
}

/** Keras SeparableConv2D options: a depthwise convolution, then a pointwise 1x1 one. */
export interface SeparableConv2dOptions extends Named {
  depthMultiplier?: number;
  strides?: Pair;
  padding?: Padding;
  activation?: Activation;
  useBias?: boolean;
  depthwiseInitializer?: Initializer;
  pointwiseInitializer?: Initializer;
  biasInitializer?: Initializer;
}

export interface PoolOptions extends Named {
  /** Default: the pool size, as Keras. */
  strides?: Pair;
  padding?: Padding;
}

export interface BatchNormOptions extends Named {
  /** Keras defaults: momentum 0.99, epsilon 0.001. */
  momentum?: number;
  epsilon?: number;
  // no center/scale: tfjs-layers 4.22 cannot train BatchNormalization without beta and gamma (refused)
}

export interface DropoutOptions extends Named {
  noiseShape?: number[];
}

export type { Initializer, Pair, Regularizer };

/* The tfjs config-object forms (`tf.layers.dense({ units, activation })`): one object, the positional arguments
   among the options, taken by the same builder methods. */

export interface DenseConfig extends DenseOptions {
  units: number;
}

export interface Conv2dConfig extends Conv2dOptions {
  filters: number;
  kernelSize: Pair;
}

export interface DepthwiseConv2dConfig extends DepthwiseConv2dOptions {
  kernelSize: Pair;
}

export interface SeparableConv2dConfig extends SeparableConv2dOptions {
  filters: number;
  kernelSize: Pair;
}

export interface PoolConfig extends PoolOptions {
  /** Default 2. */
  poolSize?: Pair;
}

export interface DropoutConfig extends DropoutOptions {
  rate: number;
}

/** True for the config-object form: a plain object where the positional form has a number. */
export function isConfig<T extends object>(x: unknown): x is T {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
