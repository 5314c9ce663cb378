import type * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import { checkMaxBytes } from './read-bounds';

type Artifacts = tf.io.ModelArtifacts;

/** Reads one weight file, refusing it unread when it holds more than `budget` bytes. */
export type WeightReader = (path: string, budget: number) => Promise<Uint8Array>;

// Own properties only: a dtype like 'toString' must not find Object.prototype's.
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };
const bytesOf = (table: Record<string, number>, dtype: unknown) =>
  typeof dtype === 'string' && Object.hasOwn(table, dtype) ? table[dtype] : undefined;

function badSpec(w: unknown, why: string): GraftError {
  return new GraftError('INVALID_MODEL_FILE', `expected weight specs ${why}, got ${JSON.stringify(w)?.slice(0, 80)}`);
}

/** Bytes one weight spec declares; refuses unknown dtypes and shapes so the sum is always a finite integer. */
function specBytes(w: tf.io.WeightsManifestEntry): number {
  if (typeof w?.name !== 'string' || !Array.isArray(w.shape)) throw badSpec(w, 'with name, shape and dtype');
  if (bytesOf(DTYPE_BYTES, w.dtype) === undefined) {
    throw badSpec(w, `with a dtype among [${Object.keys(DTYPE_BYTES).join(', ')}]`);
  }
  if (w.shape.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31)) {
    throw new GraftError('INVALID_MODEL_FILE', `weight ${w.name} has an invalid shape [${w.shape.join(', ')}]`);
  }
  const q = (w as { quantization?: { dtype?: unknown } }).quantization;
  const bytes = q?.dtype === undefined ? bytesOf(DTYPE_BYTES, w.dtype) : bytesOf(QUANTIZED_BYTES, q.dtype);
  if (bytes === undefined) throw badSpec(w, `with a quantization dtype among [${Object.keys(QUANTIZED_BYTES)}]`);
  return w.shape.reduce((a, b) => a * b, 1) * bytes;
}

function checkTopLevel(json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GraftError(
      'INVALID_MODEL_FILE',
      'expected model.json to hold an object with modelTopology and weightsManifest',
    );
  }
  const m = json as Record<string, unknown>;
  if (typeof m.modelTopology !== 'object' || m.modelTopology === null || !Array.isArray(m.weightsManifest)) {
    throw new GraftError(
      'INVALID_MODEL_FILE',
      `expected model.json with modelTopology and weightsManifest, got keys [${Object.keys(m).slice(0, 10).join(', ')}]`,
    );
  }
  return m;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const data = new Uint8Array(chunks.reduce((a, b) => a + b.byteLength, 0));
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.byteLength;
  }
  return data;
}

/**
 * Turns a parsed model.json into artifacts: data only, nothing evaluated. The whole manifest is checked before
 * any weight file is read; then no file may hold more than the manifest declares (nor `maxBytes` in all), so a
 * huge file behind a small manifest is refused unread, and a short one fails with WEIGHTS_TRUNCATED.
 */
export async function parseModelJson(json: unknown, read: WeightReader, maxBytes?: number): Promise<Artifacts> {
  const limit = checkMaxBytes(maxBytes);
  const m = checkTopLevel(json);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const paths: string[] = [];
  let expected = 0;
  for (const group of m.weightsManifest as unknown[]) {
    const g = group as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(g?.paths) || !Array.isArray(g.weights)) {
      throw new GraftError('INVALID_MODEL_FILE', 'expected each weightsManifest entry to have paths[] and weights[]');
    }
    for (const w of g.weights as tf.io.WeightsManifestEntry[]) {
      expected += specBytes(w);
      specs.push(w);
    }
    for (const p of g.paths as unknown[]) {
      if (typeof p !== 'string') throw new GraftError('INVALID_MODEL_FILE', 'expected weight paths to be strings');
      paths.push(p);
    }
  }
  if (expected > limit) {
    throw new GraftError(
      'FILE_TOO_LARGE',
      `the weights manifest declares ${expected} bytes, above the limit of ${limit}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const p of paths) {
    const chunk = await read(p, expected - total);
    total += chunk.byteLength;
    chunks.push(chunk);
  }
  if (total < expected) {
    throw new GraftError(
      'WEIGHTS_TRUNCATED',
      `expected ${expected} bytes of weights as the manifest declares, got ${total}`,
    );
  }
  return {
    modelTopology: m.modelTopology as Artifacts['modelTopology'],
    format: m.format as string | undefined,
    generatedBy: m.generatedBy as string | undefined,
    convertedBy: m.convertedBy as string | null | undefined,
    weightSpecs: specs,
    weightData: concat(chunks).buffer as ArrayBuffer,
    userDefinedMetadata: m.userDefinedMetadata as Artifacts['userDefinedMetadata'],
  };
}
