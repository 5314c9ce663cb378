import { GraftError } from '../errors/graft-error';
import type { LossName } from './losses';
import type { Task } from './predictions';

/**
 * Class names must fit what the output says: a regression output takes numbers, not classes (class indices
 * read as targets would train silently wrong), and a multi-label output names each of its units, so it needs
 * one name per unit (a 1-unit multiLabel on two classes would print P(roses) as 'daisy').
 */
export function checkNamedLabels(
  loss: LossName | null,
  task: Task | undefined,
  units: number,
  classNames: string[] | undefined,
): void {
  if (!classNames) return;
  const list = `[${classNames.join(', ')}]`;
  if (loss === 'meanSquaredError' || loss === 'meanAbsoluteError') {
    throw new GraftError(
      'INVALID_LABEL',
      `expected numeric targets for a regression output (loss ${loss}), got class labels ${list}; for classes end with a softmax or sigmoid (classifier(n), binary()), or compile a cross-entropy loss for a linear output`,
    );
  }
  if (task === 'multiLabel' && classNames.length !== units) {
    throw new GraftError(
      'INCOMPATIBLE_LOSS',
      `a multi-label output names each of its ${units} unit(s): expected ${units} class names, got ${list}${units === 1 ? '; for one of two classes use binary()' : ''}`,
    );
  }
}
