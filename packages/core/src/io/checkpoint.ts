import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import { readFileBytes, writeFileAtomically } from './checkpoint-file';
import { deleteCheckpointRecord, getCheckpointBytes, putCheckpointBytes } from './checkpoint-indexeddb';
import { checkpointLocation } from './checkpoint-options';
import { DIGEST_BYTES, digestMatches, sha256 } from './checksum';

export type { CheckpointLocation, CheckpointOptions } from './checkpoint-options';

/** Version 2 ends with a SHA-256 of every byte before it; version 1 files (no checksum) are still read. */
const MAGIC = 'GRAFTCK2';
const MAGIC_V1 = 'GRAFTCK1';

interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface TensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface Header {
  format: 'graft-checkpoint';
  version: 1 | 2;
  /** Epochs completed when written. */
  epoch: number;
  history: Record<string, number[]>;
  weights: TensorSpec[];
  optimizer: TensorSpec[];
  /** The optimizer's tfjs class name (version 2), checked against the resuming model's before anything is written. */
  optimizerClass?: string;
}

export interface Checkpoint {
  epoch: number;
  history: Record<string, number[]>;
  weights: tf.Tensor[];
  optimizer: NamedTensor[];
  /** The optimizer's tfjs class name ('Adam', 'SGD' ...); absent in version 1 checkpoints. */
  optimizerClass?: string;
}

async function specAndBytes(name: string, t: tf.Tensor): Promise<{ spec: TensorSpec; bytes: Uint8Array }> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = dtype === 'int32' ? Int32Array.from(await t.data()) : Float32Array.from(await t.data());
  return { spec: { name, shape: [...t.shape], dtype }, bytes: new Uint8Array(data.buffer) };
}

/** Model weights, optimizer state, epoch and history as one byte string: magic, header length, JSON header, tensors,
 * then the SHA-256 of all of that. */
export async function encodeCheckpoint(
  net: LayersModel,
  optimizer: tf.Optimizer,
  epoch: number,
  history: Record<string, number[]>,
): Promise<Uint8Array> {
  const parts: { spec: TensorSpec; bytes: Uint8Array }[] = [];
  for (const w of net.weights) parts.push(await specAndBytes(w.originalName, w.read()));
  const optWeights = await optimizer.getWeights();
  const optParts: { spec: TensorSpec; bytes: Uint8Array }[] = [];
  for (const { name, tensor } of optWeights) {
    optParts.push(await specAndBytes(name, tensor));
    // getWeights hands out the optimizer's own variables plus a fresh iteration scalar
    if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
  const header: Header = {
    format: 'graft-checkpoint',
    version: 2,
    epoch,
    history,
    weights: parts.map((p) => p.spec),
    optimizer: optParts.map((p) => p.spec),
    optimizerClass: optimizer.getClassName(),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const chunks = [
    new TextEncoder().encode(MAGIC),
    new Uint8Array(new Uint32Array([json.byteLength]).buffer),
    json,
    ...parts.map((p) => p.bytes),
    ...optParts.map((p) => p.bytes),
  ];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0) + DIGEST_BYTES);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  out.set(await sha256(out.subarray(0, at)), at);
  return out;
}

/** Writes a checkpoint atomically: Node files by temp file + rename, IndexedDB in one transaction. */
export async function writeCheckpoint(
  to: string,
  net: LayersModel,
  optimizer: tf.Optimizer,
  epoch: number,
  history: Record<string, number[]>,
): Promise<void> {
  const where = checkpointLocation(to, 'checkpoint.to');
  const bytes = await encodeCheckpoint(net, optimizer, epoch, history);
  if (where.kind === 'file') await writeFileAtomically(where.path, bytes);
  else await putCheckpointBytes(where.name, bytes, epoch);
}

/** Reads a checkpoint (a Node file path or `indexeddb://name`); the caller owns the returned tensors. */
export async function readCheckpoint(from: string): Promise<Checkpoint> {
  const where = checkpointLocation(from, 'resume');
  const bytes = where.kind === 'file' ? await readFileBytes(where.path) : await getCheckpointBytes(where.name);
  return decodeCheckpoint(bytes, from);
}

/** Refuses bytes whose checksum does not match (version 2), before anything is parsed. */
async function verifyChecksum(buf: Uint8Array, label: string): Promise<Uint8Array> {
  const magic = new TextDecoder().decode(buf.subarray(0, 8));
  if (magic !== MAGIC) return buf;
  if (!(await digestMatches(buf))) {
    throw new GraftError(
      'CHECKSUM_MISMATCH',
      `expected ${label} to end with the SHA-256 of its contents, got a different one: the file was changed or damaged`,
    );
  }
  return buf.subarray(0, buf.byteLength - DIGEST_BYTES);
}

/** Removes a checkpoint (a Node file path or `indexeddb://name`), e.g. once training has finished. */
export async function deleteCheckpoint(at: string): Promise<void> {
  const where = checkpointLocation(at, 'the checkpoint location');
  if (where.kind === 'indexeddb') return deleteCheckpointRecord(where.name);
  const fs = await import('node:fs/promises');
  try {
    await fs.rm(where.path, { force: true });
  } catch (e) {
    throw new GraftError('SAVE_FAILED', `could not delete the checkpoint ${where.path}: ${(e as Error).message}`);
  }
}

/** Parses checkpoint bytes, verified whole first (checksum, every tensor spec, exact length); `label` names the source. */
export async function decodeCheckpoint(bytes: Uint8Array, label: string): Promise<Checkpoint> {
  const bad = (why: string) => new GraftError('INVALID_MODEL_FILE', `${label} is not a graft checkpoint: ${why}`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (bytes.byteLength < 12 || (magic !== MAGIC && magic !== MAGIC_V1)) throw bad('wrong magic bytes');
  const buf = await verifyChecksum(bytes, label);
  const { header, offset } = parseHeader(buf, bad);
  const specs = [...header.weights, ...header.optimizer];
  const sizes = specs.map((spec) => specBytes(spec, bad));
  const payload = sizes.reduce((a, b) => a + b, 0);
  if (offset + payload > buf.byteLength) {
    throw new GraftError('WEIGHTS_TRUNCATED', `${label} ends ${offset + payload - buf.byteLength} bytes early`);
  }
  if (offset + payload < buf.byteLength) throw bad(`${buf.byteLength - offset - payload} bytes after the last tensor`);
  let at = offset;
  const tensors = specs.map((spec, i) => {
    const copy = buf.slice(at, at + sizes[i]);
    at += sizes[i];
    const data = spec.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    return tf.tensor(data, spec.shape, spec.dtype);
  });
  const weights = tensors.slice(0, header.weights.length);
  const optimizer = header.optimizer.map((s, i) => ({ name: s.name, tensor: tensors[header.weights.length + i] }));
  const history: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(header.history ?? {}))
    if (Array.isArray(v) && k !== '__proto__') history[k] = v.filter((n) => typeof n === 'number');
  const optimizerClass = typeof header.optimizerClass === 'string' ? header.optimizerClass : undefined;
  return { epoch: header.epoch, history, weights, optimizer, optimizerClass };
}

function parseHeader(buf: Uint8Array, bad: (why: string) => GraftError): { header: Header; offset: number } {
  const len = new DataView(buf.buffer, buf.byteOffset + 8, 4).getUint32(0, true);
  if (12 + len > buf.byteLength) throw bad('header longer than the file');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + len)));
  } catch {
    throw bad('header is not JSON');
  }
  if (
    header?.format !== 'graft-checkpoint' ||
    !Array.isArray(header.weights) ||
    !Array.isArray(header.optimizer) ||
    !Number.isInteger(header.epoch)
  ) {
    throw bad('header fields missing');
  }
  return { header, offset: 12 + len };
}

/** The byte size of one tensor, after checking its spec (name, shape, dtype) whole. */
function specBytes(spec: TensorSpec, bad: (why: string) => GraftError): number {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') throw bad('a tensor without a name');
  if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0))
    throw bad(`invalid shape for ${spec.name}`);
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32')
    throw bad(`expected dtype float32 or int32 for ${spec.name}, got ${describe(spec.dtype)}`);
  return spec.shape.reduce((a, b) => a * b, 1) * 4;
}

/** Puts a checkpoint's weights into `net` after checking they belong to it. */
export function restoreCheckpointWeights(net: LayersModel, ck: Checkpoint, path: string): void {
  const ws = net.weights;
  const differs = (w: (typeof ws)[number], t: tf.Tensor) => w.shape.join() !== t.shape.join() || w.dtype !== t.dtype;
  if (ws.length !== ck.weights.length || ws.some((w, i) => differs(w, ck.weights[i]))) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `the checkpoint ${path} holds ${ck.weights.length} weights that do not match this model's ${ws.length}; resume with the model the checkpoint was written from`,
    );
  }
  ws.forEach((w, i) => {
    w.write(ck.weights[i]);
  });
}
