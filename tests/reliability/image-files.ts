import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/**
 * A valid PNG of `width x height` black pixels (1-bit grey, so a huge image compresses to a small file, like a
 * decompression bomb): every chunk's CRC is right and the pixel data inflates to exactly the declared size.
 */
export function blackPng(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, grey, deflate, no filter, no interlace
  const raw = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 and zero bits per row
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = chunk('IDAT', deflateSync(raw, { level: 9 }));
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), idat, chunk('IEND', new Uint8Array(0))]));
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
