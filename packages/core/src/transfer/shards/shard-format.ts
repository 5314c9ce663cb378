import { GraftError } from '../../errors/graft-error';
import { sha256 } from '../../io/checksum';
import type { Preprocessing } from '../backbone';
import { hex } from '../base-fingerprint';

/** The first 8 bytes of every feature shard. */
export const SHARD_MAGIC = 'GRFTFEAT';
export const SHARD_VERSION = 1;
/** Magic, version u32, header length u32. */
const PREFIX = 16;

/** The JSON header of a feature shard (docs/scale.md, "Feature shards"). */
export interface ShardHeader {
  /** The base that computed the features: its name and content fingerprint (base-fingerprint.ts). */
  base: { name: string; fingerprint: string };
  preprocessing: Preprocessing | null;
  /** Shape of one feature row. */
  featureShape: number[];
  dtype: 'float32';
  rows: number;
  classNames: string[];
  /** The images of the rows, in row order. */
  files: string[];
  /** This shard's place: rows [start, start + rows) of a listing of `total` images cut into `of` shards. */
  shard: { index: number; of: number; start: number; total: number };
  /** SHA-256 identity of the whole listing (files, labels, classes, image size) the shards were cut from. */
  listing: string;
  /** SHA-256 (hex) of the two blocks after the header. */
  sha256: string;
}

/** A shard's rows as read: its header, features [rows, ...featureShape] and labels. */
export interface ShardContent {
  file: string;
  header: ShardHeader;
  features: Float32Array;
  labels: Int32Array;
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The blocks and their digest: features then labels, both little endian. */
async function blocks(features: Float32Array, labels: Int32Array): Promise<{ body: Uint8Array; digest: string }> {
  if (!littleEndian()) {
    throw new GraftError('UNSUPPORTED_TARGET', 'feature shards are little endian; this platform is big endian');
  }
  const body = new Uint8Array(features.byteLength + labels.byteLength);
  body.set(bytesOf(features), 0);
  body.set(bytesOf(labels), features.byteLength);
  return { body, digest: hex(await sha256(body)) };
}

/** The bytes of a shard: magic, version, header length, header JSON, features block, labels block. */
export async function encodeShard(
  header: Omit<ShardHeader, 'sha256'>,
  features: Float32Array,
  labels: Int32Array,
): Promise<{ bytes: Uint8Array; header: ShardHeader }> {
  const { body, digest } = await blocks(features, labels);
  const full = { ...header, sha256: digest };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const out = new Uint8Array(PREFIX + json.byteLength + body.byteLength);
  out.set(new TextEncoder().encode(SHARD_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, SHARD_VERSION, true);
  view.setUint32(12, json.byteLength, true);
  out.set(json, PREFIX);
  out.set(body, PREFIX + json.byteLength);
  return { bytes: out, header: full };
}

function invalid(file: string, what: string): never {
  throw new GraftError('FEATURE_SHARD_INVALID', `${file} is not a readable feature shard: ${what}`, { file });
}

function parseHeader(bytes: Uint8Array, length: number, file: string): ShardHeader {
  if (PREFIX + length > bytes.byteLength) invalid(file, `its header needs ${length} bytes, the file ends first`);
  let h: ShardHeader;
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + length)));
  } catch (e) {
    invalid(file, `its header is not JSON (${(e as Error).message})`);
  }
  const ok =
    typeof h?.base?.fingerprint === 'string' &&
    Array.isArray(h.featureShape) &&
    h.dtype === 'float32' &&
    Number.isInteger(h.rows) &&
    Array.isArray(h.classNames) &&
    Array.isArray(h.files) &&
    h.files.length === h.rows &&
    Number.isInteger(h.shard?.index) &&
    Number.isInteger(h.shard?.of) &&
    typeof h.listing === 'string' &&
    typeof h.sha256 === 'string';
  if (!ok) invalid(file, 'its header lacks a field of format version 1 (base, featureShape, rows, files, shard ...)');
  return h;
}

/** Reads and checks a shard's bytes: FEATURE_SHARD_INVALID (magic, version, header, length), CHECKSUM_MISMATCH. */
export async function decodeShard(bytes: Uint8Array, file: string): Promise<ShardContent> {
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (bytes.byteLength < PREFIX || magic !== SHARD_MAGIC) {
    invalid(file, `expected it to start with "${SHARD_MAGIC}", got ${JSON.stringify(magic)}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SHARD_VERSION) invalid(file, `expected format version ${SHARD_VERSION}, got ${version}`);
  const length = view.getUint32(12, true);
  const header = parseHeader(bytes, length, file);
  const width = header.featureShape.reduce((a, b) => a * b, 1);
  const start = PREFIX + length;
  const expected = start + header.rows * width * 4 + header.rows * 4;
  if (bytes.byteLength !== expected) {
    const how = bytes.byteLength < expected ? 'truncated' : 'longer than its header says';
    invalid(
      file,
      `${how}: ${header.rows} rows of ${width} features need ${expected} bytes, the file has ${bytes.byteLength}`,
    );
  }
  // copied out, so the arrays are aligned whatever the header length
  const body = bytes.slice(start);
  const digest = hex(await sha256(body));
  if (digest !== header.sha256) {
    throw new GraftError(
      'CHECKSUM_MISMATCH',
      `feature shard ${file} is corrupted: its blocks hash to ${digest}, its header says ${header.sha256}`,
      { file, expected: header.sha256, actual: digest },
    );
  }
  const features = new Float32Array(body.buffer, 0, header.rows * width);
  const labels = new Int32Array(body.buffer, header.rows * width * 4, header.rows);
  return { file, header, features, labels };
}
