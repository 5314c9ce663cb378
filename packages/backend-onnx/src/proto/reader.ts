/** A minimal protobuf wire-format reader: splits a message into its fields without a schema. */

export interface ProtoField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** varint: the value; fixed: the raw 4/8 bytes; length-delimited: the payload. */
  value: bigint | Uint8Array;
  /** Byte range of the whole field (tag included) in the parent buffer, for copying it verbatim. */
  start: number;
  end: number;
}

export class ProtoDecodeError extends Error {}

function readVarint(bytes: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) throw new ProtoDecodeError(`varint runs past the end at byte ${pos}`);
    const b = bytes[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
  throw new ProtoDecodeError(`varint longer than 10 bytes at byte ${pos}`);
}

/** Every field of one message, in file order. Throws ProtoDecodeError on malformed or truncated input. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const [key, afterKey] = readVarint(bytes, pos);
    pos = afterKey;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new ProtoDecodeError(`field number 0 at byte ${start}`);
    let value: bigint | Uint8Array;
    if (wire === 0) {
      [value, pos] = readVarint(bytes, pos);
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > bytes.length) throw new ProtoDecodeError(`fixed field runs past the end at byte ${pos}`);
      value = bytes.subarray(pos, pos + n);
      pos += n;
    } else if (wire === 2) {
      const [n, after] = readVarint(bytes, pos);
      if (after + Number(n) > bytes.length) {
        throw new ProtoDecodeError(
          `field ${field} needs ${n} bytes at byte ${after}, only ${bytes.length - after} left`,
        );
      }
      value = bytes.subarray(after, after + Number(n));
      pos = after + Number(n);
    } else {
      throw new ProtoDecodeError(`unsupported wire type ${wire} at byte ${start}`);
    }
    fields.push({ field, wire, value, start, end: pos });
  }
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function fieldString(f: ProtoField): string {
  if (!(f.value instanceof Uint8Array) || f.wire !== 2) throw new ProtoDecodeError(`field ${f.field} is not a string`);
  return utf8.decode(f.value);
}

export function fieldInt(f: ProtoField): number {
  if (typeof f.value !== 'bigint') throw new ProtoDecodeError(`field ${f.field} is not a varint`);
  return Number(BigInt.asIntN(64, f.value));
}

/** Repeated integers, packed or not. */
export function fieldInts(f: ProtoField): number[] {
  if (f.wire === 0) return [fieldInt(f)];
  const out: number[] = [];
  const bytes = f.value as Uint8Array;
  let pos = 0;
  while (pos < bytes.length) {
    const [v, next] = readVarint(bytes, pos);
    out.push(Number(BigInt.asIntN(64, v)));
    pos = next;
  }
  return out;
}
