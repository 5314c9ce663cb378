import { constantBias, INITIALIZERS, type Initializer } from '../builder/layer-options';
import { describe, GraftError } from '../errors/graft-error';

/** A head's output Dense layer, as Keras' `Dense(units, use_bias, kernel_initializer, bias_initializer)`. */
export interface OutputLayerOptions {
  /** Whether the output layer has a bias (Keras `use_bias`); default true. */
  useBias?: boolean;
  /** The output kernel's initializer; default glorotUniform (seeded by the model's seed, a named one is not). */
  kernelInitializer?: Initializer;
  /**
   * The output bias' initializer, or a number for a constant bias (Keras `Constant(b)`), e.g.
   * `Math.log(positives / negatives)` so a rare-positive binary head starts at the base rate; default zeros.
   */
  biasInitializer?: Initializer | number;
}

const known = (v: unknown) => (INITIALIZERS as readonly unknown[]).includes(v);

/** Refuses bad output-layer options (INVALID_HEAD). */
export function checkOutputLayer(options: OutputLayerOptions): void {
  const { useBias, kernelInitializer, biasInitializer } = options;
  if (useBias !== undefined && typeof useBias !== 'boolean')
    throw new GraftError('INVALID_HEAD', `expected useBias as true or false, got ${describe(useBias)}`);
  if (kernelInitializer !== undefined && !known(kernelInitializer))
    throw new GraftError(
      'INVALID_HEAD',
      `expected kernelInitializer among ${INITIALIZERS.join(', ')}, got ${describe(kernelInitializer)}`,
    );
  const finite = typeof biasInitializer === 'number' && Number.isFinite(biasInitializer);
  if (biasInitializer !== undefined && !finite && !known(biasInitializer))
    throw new GraftError(
      'INVALID_HEAD',
      `expected biasInitializer as a finite number or among ${INITIALIZERS.join(', ')}, got ${describe(biasInitializer)}`,
    );
  if (useBias === false && biasInitializer !== undefined)
    throw new GraftError('INVALID_HEAD', 'expected no biasInitializer with useBias: false (there is no bias)');
}

/** Only the output-layer options that were given (so a spec spread from options carries no undefined keys). */
export function outputLayerOf(options: OutputLayerOptions): OutputLayerOptions {
  const { useBias, kernelInitializer, biasInitializer } = options;
  return Object.fromEntries(
    Object.entries({ useBias, kernelInitializer, biasInitializer }).filter(([, v]) => v !== undefined),
  ) as OutputLayerOptions;
}

/** The Dense config fields for the output layer; `kernel` is the seeded default kernel initializer. */
export function outputDenseConfig(options: OutputLayerOptions, kernel: unknown): Record<string, unknown> {
  const { useBias, kernelInitializer, biasInitializer } = options;
  return {
    kernelInitializer: kernelInitializer ?? kernel,
    ...(useBias === undefined ? {} : { useBias }),
    ...(biasInitializer === undefined ? {} : { biasInitializer }),
    ...constantBias(biasInitializer),
  };
}
