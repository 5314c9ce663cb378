import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';

const MAGIC = 'GRAFTCK1';

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
  /** Node: the checkpoint file path (written to a temporary file, then renamed over it). */
  to: string;
  /** Write every this many epochs (default 1). */
  every?: number;
}

export function checkCheckpointOptions(c: unknown): asserts c is CheckpointOptions {
  const o = c as CheckpointOptions;
  if (typeof o !== 'object' || o === null || typeof o.to !== 'string' || o.to.length === 0) {
    throw new GraftError('INVALID_OPTION', `expected checkpoint: { to: 'path', every? }, got ${describe(c)}`);
  }
  if (o.every !== undefined && !(Number.isInteger(o.every) && o.every > 0)) {
    throw new GraftError('INVALID_OPTION', `expected checkpoint.every as a positive integer, got ${describe(o.every)}`);
  }
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      'checkpoints are written to files and need Node; in browsers save the model to indexeddb:// at epoch ends',
    );
  }
}

async function specAndBytes(name: string, t: tf.Tensor): Promise<{ spec: TensorSpec; bytes: Uint8Array }> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = dtype === 'int32' ? Int32Array.from(await t.data()) : Float32Array.from(await t.data());
  return { spec: { name, shape: [...t.shape], dtype }, bytes: new Uint8Array(data.buffer) };
}

/** Writes model weights, optimizer state, epoch and history as one file, atomically (temp file + rename). */
export async function writeCheckpoint(
  path: string,
  net: LayersModel,
  optimizer: tf.Optimizer,
  epoch: number,
  history: Record<string, number[]>,
): Promise<void> {
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
  const lengths = new Uint8Array(new Uint32Array([json.byteLength]).buffer);
  const chunks = [
    new TextEncoder().encode(MAGIC),
    lengths,
    json,
    ...parts.map((p) => p.bytes),
    ...optParts.map((p) => p.bytes),
  ];
  const fs = await import('node:fs/promises');
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      for (const c of chunks) await handle.write(c);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new GraftError('SAVE_FAILED', `could not write the checkpoint ${path}: ${(e as Error).message}`);
  }
}

/** Reads a checkpoint file; the caller owns the returned tensors. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  const fs = await import('node:fs/promises');
  let buf: Uint8Array;
  try {
    buf = new Uint8Array(await fs.readFile(path));
  } catch {
    throw new GraftError('LOAD_FAILED', `expected a checkpoint file at ${JSON.stringify(path)}, found none`);
  }
  const bad = (why: string) => new GraftError('INVALID_MODEL_FILE', `${path} is not a graft checkpoint: ${why}`);
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
      throw new GraftError('WEIGHTS_TRUNCATED', `${path} ends before tensor ${spec.name}`);
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
