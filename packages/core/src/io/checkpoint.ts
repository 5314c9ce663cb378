import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isNode } from '../env/runtime';
import { describe, GraftError } from '../errors/graft-error';
import { readFileBytes, writeFileAtomically } from './checkpoint-file';
import { deleteCheckpointRecord, getCheckpointBytes, hasIndexedDb, putCheckpointBytes } from './checkpoint-indexeddb';

const MAGIC = 'GRAFTCK1';
const IDB_SCHEME = 'indexeddb://';

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
  version: 1;
  /** Epochs completed when written. */
  epoch: number;
  history: Record<string, number[]>;
  weights: TensorSpec[];
  optimizer: TensorSpec[];
}

export interface Checkpoint {
  epoch: number;
  history: Record<string, number[]>;
  weights: tf.Tensor[];
  optimizer: NamedTensor[];
}

export interface CheckpointOptions {
  /**
   * Where to write: a file path in Node (written to a temporary file, then renamed over it), or
   * `indexeddb://name` in browsers and workers (one IndexedDB transaction). Either way a crash mid-write leaves the
   * previous checkpoint whole.
   */
  to: string;
  /** Write every this many epochs (default 1). */
  every?: number;
}

export function checkCheckpointOptions(c: unknown): asserts c is CheckpointOptions {
  const o = c as CheckpointOptions;
  if (typeof o !== 'object' || o === null || typeof o.to !== 'string' || o.to.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected checkpoint: { to: 'path' or 'indexeddb://name', every? }, got ${describe(c)}`,
    );
  }
  if (o.every !== undefined && !(Number.isInteger(o.every) && o.every > 0)) {
    throw new GraftError('INVALID_OPTION', `expected checkpoint.every as a positive integer, got ${describe(o.every)}`);
  }
  checkpointLocation(o.to, 'checkpoint.to');
}

export type CheckpointLocation = { kind: 'file'; path: string } | { kind: 'indexeddb'; name: string };

/** Where a checkpoint string points, or a GraftError when this runtime cannot store there. */
export function checkpointLocation(
  to: unknown,
  option: 'checkpoint.to' | 'resume' | 'the checkpoint location',
): CheckpointLocation {
  if (typeof to !== 'string' || to.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${option} as a file path or 'indexeddb://name', got ${describe(to)}`,
    );
  }
  if (to.startsWith(IDB_SCHEME)) {
    const name = to.slice(IDB_SCHEME.length);
    if (name.length === 0) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected ${option} as 'indexeddb://name' with a name, got ${JSON.stringify(to)}`,
      );
    }
    if (!hasIndexedDb()) {
      throw new GraftError(
        'UNSUPPORTED_TARGET',
        `${option} ${JSON.stringify(to)} needs IndexedDB, which this runtime lacks (Node: use a file path)`,
      );
    }
    return { kind: 'indexeddb', name };
  }
  if (!isNode) {
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      `${option} ${JSON.stringify(to)} is a file path, which needs Node; in browsers use 'indexeddb://name'`,
    );
  }
  return { kind: 'file', path: to };
}

async function specAndBytes(name: string, t: tf.Tensor): Promise<{ spec: TensorSpec; bytes: Uint8Array }> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = dtype === 'int32' ? Int32Array.from(await t.data()) : Float32Array.from(await t.data());
  return { spec: { name, shape: [...t.shape], dtype }, bytes: new Uint8Array(data.buffer) };
}

/** Model weights, optimizer state, epoch and history as one byte string: magic, header length, JSON header, tensors. */
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
    version: 1,
    epoch,
    history,
    weights: parts.map((p) => p.spec),
    optimizer: optParts.map((p) => p.spec),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const chunks = [
    new TextEncoder().encode(MAGIC),
    new Uint8Array(new Uint32Array([json.byteLength]).buffer),
    json,
    ...parts.map((p) => p.bytes),
    ...optParts.map((p) => p.bytes),
  ];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
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

/** Parses checkpoint bytes; `label` names the source in errors. */
export function decodeCheckpoint(buf: Uint8Array, label: string): Checkpoint {
  const bad = (why: string) => new GraftError('INVALID_MODEL_FILE', `${label} is not a graft checkpoint: ${why}`);
  if (buf.byteLength < 12 || new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC) throw bad('wrong magic bytes');
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
  let offset = 12 + len;
  const take = (spec: TensorSpec): tf.Tensor => {
    if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0))
      throw bad(`invalid shape for ${spec.name}`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * 4;
    if (offset + bytes > buf.byteLength) {
      throw new GraftError('WEIGHTS_TRUNCATED', `${label} ends before tensor ${spec.name}`);
    }
    const copy = buf.slice(offset, offset + bytes);
    offset += bytes;
    const data = spec.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    return tf.tensor(data, spec.shape, spec.dtype);
  };
  const weights: tf.Tensor[] = [];
  const optimizer: NamedTensor[] = [];
  try {
    for (const s of header.weights) weights.push(take(s));
    for (const s of header.optimizer) optimizer.push({ name: s.name, tensor: take(s) });
  } catch (e) {
    tf.dispose([...weights, ...optimizer.map((o) => o.tensor)]);
    throw e;
  }
  const history: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(header.history ?? {}))
    if (Array.isArray(v) && k !== '__proto__') history[k] = v.filter((n) => typeof n === 'number');
  return { epoch: header.epoch, history, weights, optimizer };
}

/** Puts a checkpoint's weights into `net` after checking they belong to it. */
export function restoreCheckpointWeights(net: LayersModel, ck: Checkpoint, path: string): void {
  const ws = net.weights;
  if (ws.length !== ck.weights.length || ws.some((w, i) => w.shape.join() !== ck.weights[i].shape.join())) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `the checkpoint ${path} holds ${ck.weights.length} weights that do not match this model's ${ws.length}; resume with the model the checkpoint was written from`,
    );
  }
  ws.forEach((w, i) => {
    w.write(ck.weights[i]);
  });
}
