import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Model, readCheckpoint } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { writeFileAtomically } from '../../packages/core/src/io/checkpoint-file';
import { sha256 } from '../../packages/core/src/io/checksum';
import { weightsOf } from '../helpers/data';
import { tinyClassifier } from './fixtures';
import { expectCode, FIT, type LifecycleCase, type LifecycleContext } from './lifecycle-fixtures';

/** A model trained one fit with a checkpoint written at `name`; returns the model and the file's path. */
async function checkpointed(ctx: LifecycleContext, name: string): Promise<{ model: Model; path: string }> {
  const path = join(ctx.dir, `${ctx.backend}-${name}.ckpt`);
  const model = tinyClassifier();
  await model.fit(ctx.x, ctx.y, { ...FIT, checkpoint: { to: path } });
  return { model, path };
}

/** The header's JSON span in a checkpoint file (magic 8 bytes, length 4 bytes, then JSON). */
function headerOf(bytes: Uint8Array): { start: number; end: number; json: Record<string, unknown> } {
  const len = new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
  return { start: 12, end: 12 + len, json };
}

/** Resuming from the damaged file `edit` makes is refused with `code`, changing nothing and leaking nothing. */
async function refusedResume(
  ctx: LifecycleContext,
  name: string,
  edit: (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>,
  code: string,
): Promise<void> {
  const { model, path } = await checkpointed(ctx, name);
  writeFileSync(path, await edit(new Uint8Array(readFileSync(path))));
  const weights = await weightsOf(model.net);
  const history = JSON.stringify(model.history);
  const n = tf.memory().numTensors;
  await expectCode(() => model.fit(ctx.x, ctx.y, { ...FIT, epochs: 3, resume: path }), code);
  expect(tf.memory().numTensors, 'live tensors').toBe(n);
  expect(await weightsOf(model.net), 'weights').toEqual(weights);
  expect(JSON.stringify(model.history), 'history').toBe(history);
  await model.fit(ctx.x, ctx.y, FIT);
  expect(model.history.loss.every(Number.isFinite)).toBe(true);
  model.dispose();
}

/** Rewrites the header JSON (padded to its old length) and, when asked, a fresh valid checksum. */
async function rewriteHeader(bytes: Uint8Array, change: (h: Record<string, unknown>) => void, reseal: boolean) {
  const { start, end, json } = headerOf(bytes);
  change(json);
  const text = new TextEncoder().encode(JSON.stringify(json).padEnd(end - start, ' '));
  expect(text.byteLength).toBe(end - start);
  const out = bytes.slice();
  out.set(text, start);
  if (reseal) out.set(await sha256(out.subarray(0, out.byteLength - 32)), out.byteLength - 32);
  return out;
}

const float32ToInt32 = (h: Record<string, unknown>) => {
  (h.weights as { dtype: string }[])[0].dtype = 'int32';
};

export const CHECKPOINT_CASES: LifecycleCase[] = [
  {
    area: 'checkpoint',
    name: 'one flipped payload byte -> CHECKSUM_MISMATCH before any weight is written',
    run: (ctx) =>
      refusedResume(
        ctx,
        'flipped',
        (b) => {
          b[b.byteLength - 40] ^= 0x40;
          return b;
        },
        'CHECKSUM_MISMATCH',
      ),
  },
  {
    area: 'checkpoint',
    name: 'appended bytes -> CHECKSUM_MISMATCH, nothing changed',
    run: (ctx) => refusedResume(ctx, 'appended', (b) => new Uint8Array([...b, 0, 0, 0, 0]), 'CHECKSUM_MISMATCH'),
  },
  {
    area: 'checkpoint',
    name: 'a header dtype changed -> CHECKSUM_MISMATCH, nothing changed',
    run: (ctx) => refusedResume(ctx, 'dtype', (b) => rewriteHeader(b, float32ToInt32, false), 'CHECKSUM_MISMATCH'),
  },
  {
    area: 'checkpoint',
    name: 'a header dtype changed and the checksum resealed -> SHAPE_MISMATCH, no weight restored',
    run: (ctx) => refusedResume(ctx, 'dtype-sealed', (b) => rewriteHeader(b, float32ToInt32, true), 'SHAPE_MISMATCH'),
  },
  {
    area: 'checkpoint',
    name: 'state of another optimizer -> SHAPE_MISMATCH up front, no leak, the model still trains',
    async run(ctx) {
      const { model, path } = await checkpointed(ctx, 'adam');
      model.dispose();
      const other = tinyClassifier().compile({ optimizer: 'momentum' });
      await other.fit(ctx.x, ctx.y, FIT);
      const weights = await weightsOf(other.net);
      const n = tf.memory().numTensors;
      await expectCode(() => other.fit(ctx.x, ctx.y, { ...FIT, epochs: 3, resume: path }), 'SHAPE_MISMATCH');
      expect(tf.memory().numTensors).toBe(n);
      expect(await weightsOf(other.net)).toEqual(weights);
      await other.fit(ctx.x, ctx.y, FIT);
      expect(other.history.loss.every(Number.isFinite)).toBe(true);
      other.dispose();
    },
  },
  {
    area: 'checkpoint',
    name: 'a missing checkpoint folder -> SAVE_FAILED before epoch 1: weights and history unchanged',
    async run(ctx) {
      const model = tinyClassifier();
      await model.fit(ctx.x, ctx.y, FIT);
      const weights = await weightsOf(model.net);
      let epochs = 0;
      const to = join(ctx.dir, 'no-such-folder', 'a.ckpt');
      const fit = {
        ...FIT,
        checkpoint: { to },
        onEpochEnd: () => {
          epochs++;
        },
      };
      await expectCode(() => model.fit(ctx.x, ctx.y, fit), 'SAVE_FAILED');
      expect(epochs).toBe(0);
      expect(await weightsOf(model.net)).toEqual(weights);
      expect(model.history.loss.length).toBe(2);
      model.dispose();
    },
  },
  {
    area: 'checkpoint',
    name: 'sixteen writes to one path at once never share a temp file; the result is one whole checkpoint',
    async run(ctx) {
      const { model, path } = await checkpointed(ctx, 'twice');
      model.dispose();
      const bytes = new Uint8Array(readFileSync(path));
      await Promise.all(Array.from({ length: 16 }, () => writeFileAtomically(path, bytes)));
      const ck = await readCheckpoint(path);
      expect(ck.epoch).toBe(2);
      tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
      expect(readdirSync(ctx.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
      expect(existsSync(path)).toBe(true);
    },
  },
];
