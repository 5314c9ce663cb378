import { describe, GraftError } from '../../errors/graft-error';
import { decodeJpeg } from './decode-jpeg';
import { decodePng } from './decode-png';
import { checkEncoded } from './encoded-check';
import { checkMaxPixels } from './max-pixels';
import type { DecodedImage, DecodeOptions } from './types';

/** Views a Uint8Array / ArrayBuffer / Buffer as bytes without copying. */
export function asBytes(input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new GraftError(
    'INVALID_DATA',
    `expected encoded image bytes (Uint8Array or ArrayBuffer), got ${describe(input)}`,
  );
}

/**
 * Decodes JPEG or PNG bytes (detected from their magic bytes, not a file name) to 8-bit RGB.
 * Grey, grey+alpha, RGBA, 16-bit and palette PNGs all come out as 3-channel 8-bit; alpha is dropped.
 * The size the header declares is checked against `options.maxPixels` (default 100 MP) before decoding.
 */
export function decodeImage(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): DecodedImage {
  const maxPixels = checkMaxPixels(options?.maxPixels, 'options.maxPixels');
  const b = asBytes(bytes);
  const format = checkEncoded(b, maxPixels);
  return format === 'jpeg' ? decodeJpeg(b, maxPixels) : decodePng(b);
}
