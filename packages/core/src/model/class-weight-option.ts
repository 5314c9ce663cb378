import { describe, GraftError } from '../errors/graft-error';

/**
 * Keras' `class_weight`: a weight per class, by class index or class name (classes left out weigh 1), or
 * 'balanced': n_samples / (n_classes * count_c), sklearn's formula, from the training labels.
 */
export type ClassWeight = Record<string | number, number> | 'balanced';

/** The shape of the option, checked with the other fit options (before anything runs). */
export function checkClassWeight(cw: unknown): void {
  if (cw === undefined || cw === 'balanced') return;
  if (typeof cw !== 'object' || cw === null || Array.isArray(cw)) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected classWeight as 'balanced' or a record of class (index or name) -> weight, got ${describe(cw)}`,
    );
  }
  for (const [k, w] of Object.entries(cw)) {
    if (!(typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected classWeight weights as finite numbers >= 0, got ${describe(w)} for class ${JSON.stringify(k)}`,
      );
    }
  }
  if (Object.values(cw).length > 0 && Object.values(cw).every((w) => w === 0))
    throw new GraftError('INVALID_OPTION', 'expected at least one classWeight weight above 0, got all 0');
}
