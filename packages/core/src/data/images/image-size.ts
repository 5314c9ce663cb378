import { describe, GraftError } from '../../errors/graft-error';
import type { ImageSize } from './types';

/** Checks a `[height, width]` option; `name` is the option's name for the message. */
export function checkImageSize(size: unknown, name = 'size'): ImageSize {
  const ok =
    Array.isArray(size) &&
    size.length === 2 &&
    size.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0);
  if (!ok) {
    throw new GraftError(
      'INVALID_OPTION',
      `${name} must be [height, width] with two positive integers, got ${Array.isArray(size) ? `[${size.join(', ')}]` : describe(size)}`,
      { option: name },
    );
  }
  return [size[0], size[1]] as ImageSize;
}
