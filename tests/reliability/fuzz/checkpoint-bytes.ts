import { writeFileSync } from 'node:fs';
import type { Model } from '@graftjs/core';
import fc from 'fast-check';
import { sha256 } from '../../../packages/core/src/io/checksum';
import { weightsOf } from '../../helpers/data';
import { type FuzzOutcome, runCase } from './outcome';

/** One change to a checkpoint file: a byte, a cut, bytes appended, or a header field set to any JSON value. */
export type CheckpointMutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'truncate'; to: number }
  | { kind: 'append'; bytes: number[] }
  | { kind: 'header'; field: string; value: unknown };

const HEADER_FIELDS = ['epoch', 'format', 'version', 'history', 'optimizerClass', 'w.dtype', 'w.shape', 'w.name'];

export const checkpointMutations = fc.record({
  mutations: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
      fc.record({ kind: fc.constant('truncate' as const), to: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1 }) }),
      fc.record({
        kind: fc.constant('header' as const),
        field: fc.constantFrom(...HEADER_FIELDS),
        value: fc.jsonValue(),
      }),
    ),
    { minLength: 1, maxLength: 3 },
  ),
  /** Recompute the trailing SHA-256, so the mutation reaches the checks behind the checksum. */
  reseal: fc.boolean(),
});

function editHeader(bytes: Uint8Array, field: string, value: unknown): Uint8Array {
  const len = new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
  if (field.startsWith('w.')) header.weights[0][field.slice(2)] = value;
  else header[field] = value;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(bytes.byteLength - len + json.byteLength);
  out.set(bytes.subarray(0, 8));
  new DataView(out.buffer).setUint32(8, json.byteLength, true);
  out.set(json, 12);
  out.set(bytes.subarray(12 + len), 12 + json.byteLength);
  return out;
}

export async function mutateCheckpoint(
  seed: Uint8Array,
  { mutations, reseal }: { mutations: CheckpointMutation[]; reseal: boolean },
): Promise<Uint8Array> {
  let b: Uint8Array = seed.slice();
  for (const m of mutations) {
    if (m.kind === 'byte') b[m.at % b.byteLength] = m.value;
    else if (m.kind === 'truncate') b = b.slice(0, m.to % b.byteLength);
    else if (m.kind === 'append') b = new Uint8Array([...b, ...m.bytes]);
    // a header edit needs a header to edit: after a cut or a changed length byte there may be none
    else {
      try {
        b = editHeader(b, m.field, m.value);
      } catch {}
    }
  }
  if (reseal && b.byteLength > 32) b.set(await sha256(b.subarray(0, b.byteLength - 32)), b.byteLength - 32);
  return b;
}

/**
 * Resumes `model` from the mutated file (a fit with nothing left to train): ok or a GraftError, no leak, and
 * on a refusal the weights exactly as before.
 */
export async function resumeMutated(
  model: Model,
  path: string,
  bytes: Uint8Array,
  data: { x: number[][]; y: number[] },
): Promise<FuzzOutcome> {
  writeFileSync(path, bytes);
  const before = await weightsOf(model.net);
  const outcome = await runCase(
    () => model.fit(data.x, data.y, { epochs: 2, batchSize: 8, resume: path }),
    () => {},
  );
  if (outcome !== 'ok' && JSON.stringify(await weightsOf(model.net)) !== JSON.stringify(before))
    throw new Error(`a refused resume (${outcome}) changed the weights`);
  return outcome;
}
