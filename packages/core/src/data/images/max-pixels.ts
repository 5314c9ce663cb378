import { describe, GraftError } from '../../errors/graft-error';

/**
 * Default bound on the pixels one image may hold, decoded or resized to: 100 MP, jpeg-js' own default.
 * A 40 MP photo passes; a small file declaring 16000x16000 (256 MP, 3 GB as float32 RGB) does not.
 */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** Checks a `maxPixels` option (a positive integer, default 100 MP). */
export function checkMaxPixels(value: unknown, name = 'maxPixels'): number {
  if (value === undefined) return DEFAULT_MAX_PIXELS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new GraftError('INVALID_OPTION', `expected ${name} as a positive integer (pixels), got ${describe(value)}`, {
      option: name,
    });
  }
  return value;
}

/** Refuses an image of `width x height` above `maxPixels`, before anything that size is allocated. */
export function checkPixelBound(width: number, height: number, maxPixels: number, what: string): void {
  if (width * height > maxPixels) {
    throw new GraftError(
      'IMAGE_TOO_LARGE',
      `expected ${what} of at most ${maxPixels} pixels (maxPixels), got ${width}x${height} = ${width * height}; raise maxPixels if the image is genuine`,
      { width, height, maxPixels },
    );
  }
}
