import { describe, GraftError } from '../../errors/graft-error';
import { decodeImage } from './decode-image';
import { withContext } from './error-context';
import { fsReason, loadNodeFs } from './node-fs';
import type { DecodedImage, DecodeOptions } from './types';

/** Reads raw bytes of a file (Node only). */
export async function readFileBytes(filePath: string): Promise<Uint8Array> {
  if (typeof filePath !== 'string' || filePath.length === 0) {
    throw new GraftError('INVALID_DATA', `expected a file path string, got ${describe(filePath)}`);
  }
  const { fs } = await loadNodeFs();
  try {
    const buf = await fs.readFile(filePath);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new GraftError('LOAD_FAILED', `could not read image file ${JSON.stringify(filePath)}: ${fsReason(e)}`, {
      path: filePath,
    });
  }
}

/** Reads and decodes a JPEG or PNG file to 8-bit RGB (Node only). Decode errors name the file. */
export async function readImageFile(filePath: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  const bytes = await readFileBytes(filePath);
  try {
    return decodeImage(bytes, options);
  } catch (e) {
    throw withContext(e, JSON.stringify(filePath));
  }
}
