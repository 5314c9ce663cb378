import { describe, GraftError } from '../../errors/graft-error';
import { checkPixelBound, DEFAULT_MAX_PIXELS } from './max-pixels';
import type { ImageSize } from './types';

/**
 * Checks a `[height, width]` option; `name` is the option's name for the message. A size above `maxPixels` is
 * refused here, before a resize allocates it.
 */
export function checkImageSize(size: unknown, name = 'size', maxPixels = DEFAULT_MAX_PIXELS): ImageSize {
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
  checkPixelBound(size[1], size[0], maxPixels, `${name} [${size[0]}, ${size[1]}]`);
  return [size[0], size[1]] as ImageSize;
}
