import { GraftError } from '../../errors/graft-error';
import type { ImageFormat } from './magic';

export interface ImageDims {
  width: number;
  height: number;
}

const be32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];

function headerError(format: ImageFormat, message: string): GraftError {
  return new GraftError('INVALID_IMAGE', message, { format });
}

/** Width and height from a PNG's IHDR chunk, which the format requires right after the 8-byte signature. */
function pngDims(b: Uint8Array): ImageDims {
  if (b.length < 24 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') {
    throw headerError('png', `expected a PNG whose first chunk is IHDR (24 header bytes), got ${b.length} bytes`);
  }
  return { width: be32(b, 16), height: be32(b, 20) };
}

// SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** Width and height from a JPEG's first start-of-frame segment, walking the segments before it. */
function jpegDims(b: Uint8Array): ImageDims {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) break;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // markers without a length field
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    const len = be16(b, at + 2);
    if (isFrameMarker(marker)) {
      if (at + 9 > b.length) break;
      return { height: be16(b, at + 5), width: be16(b, at + 7) };
    }
    if (len < 2) break;
    at += 2 + len;
  }
  throw headerError(
    'jpeg',
    `expected a JPEG with a start-of-frame segment giving its size, found none in ${b.length} bytes (is the file truncated or corrupt?)`,
  );
}

/** The size an encoded image declares, read from its header without decoding any pixels. */
export function readImageDims(bytes: Uint8Array, format: ImageFormat): ImageDims {
  return format === 'png' ? pngDims(bytes) : jpegDims(bytes);
}
