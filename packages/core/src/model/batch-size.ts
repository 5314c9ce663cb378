import { describe, GraftError } from '../errors/graft-error';

/** `batchSize` as a positive integer, or INVALID_OPTION. */
export function checkBatchSize(b: unknown): void {
  if (!(typeof b === 'number' && Number.isInteger(b) && b > 0)) {
    throw new GraftError('INVALID_OPTION', `expected batchSize as a positive integer, got ${describe(b)}`);
  }
}
