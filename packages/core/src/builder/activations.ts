import { describe, GraftError } from '../errors/graft-error';

/** Activations tfjs-layers implements, by their Keras names. */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
] as const;

export type Activation = (typeof ACTIVATIONS)[number];

export function checkActivation(a: unknown, where: string): asserts a is Activation | undefined {
  if (a === undefined) return;
  if (!ACTIVATIONS.includes(a as Activation)) {
    throw new GraftError(
      'UNKNOWN_ACTIVATION',
      `expected ${where} activation in [${ACTIVATIONS.join(', ')}], got ${describe(a)}`,
    );
  }
}
