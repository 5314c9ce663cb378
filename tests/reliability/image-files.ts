import jpeg from 'jpeg-js';
import { pngFile } from '../helpers/png';

/**
 * A valid PNG of `width x height` black pixels (1-bit grey, so a huge image compresses to a small file, like a
 * decompression bomb): every chunk's CRC is right and the pixel data inflates to exactly the declared size.
 */
export function blackPng(width: number, height: number): Uint8Array {
  // 1-bit grey: each row is its filter byte (0) and zero bits
  return new Uint8Array(pngFile(width, height, 1, 0, Buffer.alloc((1 + Math.ceil(width / 8)) * height)));
}

/** A small real JPEG (baseline, from jpeg-js' encoder) of seeded grey-ish noise. */
export function smallJpeg(width = 16, height = 16): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  return new Uint8Array(jpeg.encode({ data, width, height }, 90).data);
}

/** Offset of the first start-of-frame segment (FFC0..FFCF but C4, C8, CC) in a JPEG. */
export function sofOffset(bytes: Uint8Array): number {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const m = bytes[at + 1];
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return at;
    at += 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
  }
  throw new Error('no SOF segment');
}

/** A copy of a JPEG whose frame header declares `width x height` (the scan data is left as it was). */
export function jpegDeclaring(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = bytes.slice();
  const at = sofOffset(out);
  out[at + 5] = height >> 8;
  out[at + 6] = height & 0xff;
  out[at + 7] = width >> 8;
  out[at + 8] = width & 0xff;
  return out;
}
