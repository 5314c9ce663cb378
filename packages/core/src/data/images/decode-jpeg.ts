import jpeg from 'jpeg-js';
import { GraftError } from '../../errors/graft-error';
import type { DecodedImage } from './types';

/**
 * Decodes baseline or progressive JPEG (grey, YCbCr, CMYK) to 8-bit RGB. decodeImage checked the frame size
 * against `maxPixels` already; jpeg-js checks it again on every frame it meets.
 */
export function decodeJpeg(bytes: Uint8Array, maxPixels: number): DecodedImage {
  let out: { data: Uint8Array; width: number; height: number };
  try {
    out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: maxPixels / 1e6 });
  } catch (e) {
    throw new GraftError(
      'INVALID_IMAGE',
      `expected a complete JPEG image, but decoding ${bytes.length} bytes failed: ${(e as Error).message} (is the file truncated or corrupt?)`,
      { format: 'jpeg', cause: (e as Error).message },
    );
  }
  const { width, height, data } = out;
  if (!(width > 0 && height > 0) || data.length !== width * height * 3) {
    throw new GraftError(
      'INVALID_IMAGE',
      `expected a JPEG with a positive size and ${width * height * 3} RGB bytes, got ${width}x${height} with ${data.length} bytes`,
      { format: 'jpeg' },
    );
  }
  return { data, width, height };
}
