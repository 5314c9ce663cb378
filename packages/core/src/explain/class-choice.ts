import { describe, GraftError } from '../errors/graft-error';

/** Which class to explain: by index or by name; neither: the predicted one. */
export interface ClassRequest {
  /** The class by its index in the model's output (a one-unit sigmoid output has classes 0 and 1). */
  classIndex?: number;
  /** The class by name, one of the model's `classNames`. */
  label?: string;
}

/**
 * The class index asked for, checked against the `classes` the output has (two for a one-unit output: 0 below the
 * threshold, 1 above); undefined when none was asked for (the predicted class is explained).
 */
export function requestedClass(request: ClassRequest, classes: number, classNames?: string[]): number | undefined {
  const { classIndex, label } = request;
  if (classIndex !== undefined && label !== undefined)
    throw new GraftError(
      'INVALID_OPTION',
      `expected classIndex or label, not both; got classIndex ${describe(classIndex)} and label ${describe(label)}`,
    );
  if (label !== undefined) {
    const index = typeof label === 'string' ? (classNames?.indexOf(label) ?? -1) : -1;
    if (index < 0)
      throw new GraftError(
        'UNKNOWN_CLASS',
        `expected label among the model's classes [${(classNames ?? []).join(', ')}], got ${describe(label)}`,
      );
    return index;
  }
  if (classIndex === undefined) return undefined;
  if (typeof classIndex !== 'number' || !Number.isInteger(classIndex))
    throw new GraftError('INVALID_OPTION', `expected classIndex as an integer, got ${describe(classIndex)}`);
  if (classIndex < 0 || classIndex >= classes)
    throw new GraftError(
      'INDEX_OUT_OF_RANGE',
      `expected classIndex in [0, ${classes - 1}] (the model has ${classes} classes), got ${classIndex}`,
    );
  return classIndex;
}

/** The predicted class from the scores (logits): the largest, or for one unit, 1 when it is at least 0. */
export function predictedClass(scores: Float32Array): number {
  if (scores.length === 1) return scores[0] >= 0 ? 1 : 0;
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}
