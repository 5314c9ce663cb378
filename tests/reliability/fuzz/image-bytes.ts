import { toImageTensor } from '@graftjs/core';
import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import { crc32 } from '../../helpers/png';
import { blackPng, smallJpeg, sofOffset } from '../image-files';
import { type FuzzOutcome, runCase } from './outcome';

/** The pixel bound every fuzzed image is read under: small, so a header that lies costs nothing to refuse. */
export const FUZZ_MAX_PIXELS = 4096;

export interface ImageSeed {
  name: string;
  bytes: Uint8Array;
}

/** Valid PNGs (1-bit grey, 8-bit RGBA, 16-bit grey) and a baseline JPEG, all 16x16. */
export function imageSeeds(): ImageSeed[] {
  const rgba = Uint8Array.from({ length: 16 * 16 * 4 }, (_, i) => (i * 13) % 256);
  const grey16 = Uint16Array.from({ length: 16 * 16 }, (_, i) => i * 250);
  return [
    { name: 'png-1bit', bytes: blackPng(16, 16) },
    { name: 'png-rgba', bytes: encodePng({ width: 16, height: 16, data: rgba, channels: 4, depth: 8 }) },
    { name: 'png-16bit', bytes: encodePng({ width: 16, height: 16, data: grey16, channels: 1, depth: 16 }) },
    { name: 'jpeg', bytes: smallJpeg(16, 16) },
  ];
}

export type ImageMutation =
  | { kind: 'u32'; field: number; value: number } // a PNG IHDR word (width, height) or JPEG SOF half-words
  | { kind: 'byte'; at: number; value: number } // near the start, where the headers are
  | { kind: 'anywhere'; at: number; value: number }
  | { kind: 'truncate'; at: number };

const sizes = fc.oneof(
  fc.constantFrom(0, 1, 16, 64, 65, 4096, 4097, 65535, 16000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1),
  fc.nat(),
);

/** Header-aimed edits; `fixCrc` rewrites PNG chunk CRCs afterwards so the edit reaches the decoder. */
export const imageMutations = fc.record({
  edits: fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({ kind: fc.constant('u32' as const), field: fc.nat({ max: 1 }), value: sizes }),
      },
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('byte' as const),
          at: fc.nat({ max: 63 }),
          value: fc.nat({ max: 255 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('anywhere' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
    ),
    { minLength: 1, maxLength: 4 },
  ),
  fixCrc: fc.boolean(),
});

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50;

function setSize(b: Uint8Array, field: number, value: number): void {
  if (isPng(b)) {
    if (b.length >= 24) new DataView(b.buffer, b.byteOffset).setUint32(16 + 4 * field, value >>> 0);
    return;
  }
  let sof: number;
  try {
    sof = sofOffset(b);
  } catch {
    return; // an earlier edit broke the segment chain: nothing to aim at
  }
  const at = sof + 5 + 2 * field; // height, then width (16 bits each)
  if (at + 1 < b.length) new DataView(b.buffer, b.byteOffset).setUint16(at, value & 0xffff);
}

/** Recomputes each PNG chunk's CRC, as far as the chunk lengths still make sense. */
function fixPngCrcs(b: Uint8Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 8;
  while (at + 12 <= b.length) {
    const len = view.getUint32(at);
    if (at + 12 + len > b.length) return;
    view.setUint32(at + 8 + len, crc32(b.subarray(at + 4, at + 8 + len)));
    at += 12 + len;
  }
}

export function mutateImage(seed: Uint8Array, m: { edits: ImageMutation[]; fixCrc: boolean }): Uint8Array {
  let b = seed.slice();
  for (const e of m.edits) {
    if (e.kind === 'u32') setSize(b, e.field, e.value);
    else if (e.kind === 'truncate') b = b.slice(0, e.at % (b.length + 1));
    else if (b.length > 0) b[e.at % b.length] = e.value;
  }
  if (m.fixCrc && isPng(b)) fixPngCrcs(b);
  return b;
}

/** Decodes one mutated image; an image that decodes must be within the bound it was read under. */
export function loadMutatedImage(bytes: Uint8Array): Promise<FuzzOutcome> {
  return runCase(
    () => toImageTensor(bytes, { maxPixels: FUZZ_MAX_PIXELS }),
    (t) => {
      const [h, w] = t.shape;
      t.dispose();
      if (h * w > FUZZ_MAX_PIXELS) throw new Error(`decoded ${w}x${h}, above maxPixels ${FUZZ_MAX_PIXELS}`);
    },
  );
}
