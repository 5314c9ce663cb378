import { onnxBackbone } from '@graftjs/backend-onnx';
import type { Preprocessing } from '@graftjs/core';
import fc from 'fast-check';
import { type FuzzOutcome, runCase } from './outcome';

/** A valid ONNX file and the options it loads with. */
export interface OnnxSeed {
  name: string;
  bytes: Uint8Array;
  preprocessing?: Preprocessing;
}

export type OnnxMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'varint'; at: number; bytes: number[] }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number };

/** Byte-level edits; offsets are taken modulo the file length, so any nat is a valid place. */
export const onnxMutations: fc.Arbitrary<OnnxMutation[]> = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }) },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
    },
    {
      // a huge or overlong protobuf varint where a length or a dimension sits
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('varint' as const),
        at: fc.nat(),
        bytes: fc.constantFrom<number[]>(
          [0xff, 0xff, 0xff, 0xff, 0x0f],
          [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
          [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
          [0x7f],
          [0x00],
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 16 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        count: fc.integer({ min: 1, max: 16 }),
      }),
    },
  ),
  { minLength: 1, maxLength: 4 },
);

export function mutateBytes(src: Uint8Array, mutations: OnnxMutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  for (const m of mutations) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'flip') {
      if (b.length) b[at] ^= 1 << m.bit;
    } else if (m.kind === 'byte') {
      if (b.length) b[at] = m.value;
    } else if (m.kind === 'varint') {
      b = concat(b.subarray(0, at), Uint8Array.from(m.bytes), b.subarray(Math.min(b.length, at + m.bytes.length)));
    } else if (m.kind === 'insert') b = concat(b.subarray(0, at), Uint8Array.from(m.bytes), b.subarray(at));
    else b = concat(b.subarray(0, at), b.subarray(at + m.count));
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Loads mutated bytes as a backbone; a success is disposed. */
export function loadMutatedOnnx(seed: OnnxSeed, mutations: OnnxMutation[]): Promise<FuzzOutcome> {
  const bytes = mutateBytes(seed.bytes, mutations);
  return runCase(
    () => onnxBackbone(bytes, seed.preprocessing ? { preprocessing: seed.preprocessing } : {}),
    (b) => b.dispose?.(),
  );
}
