import { describe, GraftError, isBackbone } from '@graftjs/core/adapter';
import type { ResolvedFewShotOptions } from './options';
import type { Example } from './vote';

/**
 * A saved few-shot classifier: options, class names and every example's embedding (float32, base64). The base is
 * referenced by name, never copied: `loadFewShot(state, base)` takes it again. Plain JSON: `JSON.stringify` it.
 */
export interface FewShotState {
  format: 'graft-few-shot';
  version: 1;
  /** Name of the base the embeddings came from, when it has one. */
  base?: string;
  options: ResolvedFewShotOptions;
  classNames: string[];
  /** Values per embedding. */
  dim: number;
  /** Per example: index into classNames, and the embedding as little-endian float32 in base64. */
  examples: { label: number; embedding: string }[];
}

/** The name a base is referenced by: a backbone's or a TransferModel's base name, a tfjs model's name. */
export function baseName(base: unknown): string | undefined {
  if (isBackbone(base)) return base.name;
  const b = base as { backbone?: unknown; name?: unknown };
  if (isBackbone(b?.backbone)) return b.backbone.name;
  return typeof b?.name === 'string' ? b.name : undefined;
}

export function encodeExamples(examples: readonly Example[]): FewShotState['examples'] {
  return examples.map((e) => {
    const bytes = new Uint8Array(e.vector.buffer, e.vector.byteOffset, e.vector.byteLength);
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return { label: e.label, embedding: btoa(s) };
  });
}

/** Checks a state read back (from JSON, possibly edited) and decodes its examples; nothing half-loaded on error. */
export function decodeState(state: unknown): { state: FewShotState; examples: Example[] } {
  const s = (typeof state === 'string' ? parse(state) : state) as FewShotState;
  if (typeof s !== 'object' || s === null || s.format !== 'graft-few-shot' || s.version !== 1)
    throw new GraftError(
      'INVALID_MODEL_FILE',
      `expected a saved few-shot classifier (format 'graft-few-shot', version 1), got ${describe(s)}`,
    );
  if (!Array.isArray(s.classNames) || !Array.isArray(s.examples) || !Number.isInteger(s.dim) || s.dim < 0)
    throw new GraftError('INVALID_MODEL_FILE', 'expected classNames, dim and examples in a saved few-shot classifier');
  const examples = s.examples.map((e, i) => {
    const vector = decodeVector(e?.embedding);
    if (vector?.length !== s.dim || !Number.isInteger(e.label) || e.label < 0 || e.label >= s.classNames.length)
      throw new GraftError(
        'INVALID_MODEL_FILE',
        `expected example ${i} with a class index and ${s.dim} float32 values`,
      );
    return { label: e.label, vector };
  });
  return { state: s, examples };
}

function decodeVector(b64: unknown): Float32Array | null {
  if (typeof b64 !== 'string') return null;
  try {
    const bin = atob(b64);
    if (bin.length % 4 !== 0) return null;
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new Float32Array(bytes.buffer);
  } catch {
    return null;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GraftError('INVALID_MODEL_FILE', `expected a saved few-shot classifier as JSON: ${(e as Error).message}`);
  }
}
