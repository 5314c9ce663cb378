import { GraftError } from '../../errors/graft-error';
import { readImageDims } from './image-header';
import { detectImageFormat, guessOtherFormat, hexPrefix, type ImageFormat } from './magic';
import { checkPixelBound } from './max-pixels';

/**
 * What every decoder checks before it decodes (the JavaScript decoders, a browser's `createImageBitmap`): bytes
 * that are a JPEG or PNG (told by their magic bytes, not a name) whose header declares at most `maxPixels`.
 * Returns the format; the same coded errors whichever decoder runs next.
 */
export function checkEncoded(b: Uint8Array, maxPixels: number): ImageFormat {
  if (b.length === 0) {
    throw new GraftError('INVALID_IMAGE', 'expected JPEG or PNG bytes, got an empty buffer (0 bytes)');
  }
  const format = detectImageFormat(b);
  if (format !== null) {
    const { width, height } = readImageDims(b, format);
    checkPixelBound(width, height, maxPixels, `a ${format.toUpperCase()} image`);
    return format;
  }
  const other = guessOtherFormat(b);
  throw new GraftError(
    'UNSUPPORTED_IMAGE_FORMAT',
    `expected a JPEG (starts FF D8 FF) or PNG (starts 89 50 4E 47 0D 0A 1A 0A), got bytes ${hexPrefix(b)}` +
      (other ? ` (looks like ${other}; convert it to PNG or JPEG)` : ' (not a known image format)'),
    { magic: hexPrefix(b), guessed: other },
  );
}
