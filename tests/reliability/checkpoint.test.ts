import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteCheckpoint, isGraftError, readCheckpoint, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs, weightsOf } from '../helpers/data';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const build = () =>
  sequential({ inputShape: [4], seed: 3 })
    .dense(8, { activation: 'relu' })
    .dropout(0.2)
    .dense(3, { activation: 'softmax' });

describe('checkpoints and resume', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graft-ckpt-'));
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(RELIABILITY_BACKENDS)(
    'resuming from a checkpoint gives the weights of the uninterrupted seeded run (1e-6) on %s',
    async (backend) => {
      await prepareBackend(backend);
      await useBackend(backend);
      const { x, y } = blobs(120);
      const fit = { epochs: 6, batchSize: 16, seed: 9, validationSplit: 0.2 };
      const straight = build();
      await straight.fit(x, y, fit);
      const expected = (await weightsOf(straight.net)).flat();

      const path = join(dir, `run-${backend}.ckpt`);
      const first = build();
      const controller = new AbortController();
      await first.fit(x, y, {
        ...fit,
        checkpoint: { to: path, every: 1 },
        signal: controller.signal,
        onEpochEnd: (e) => {
          if (e === 2) controller.abort();
        },
      });
      expect(first.lastFit?.stoppedBy).toBe('aborted');
      const ck = await readCheckpoint(path);
      expect(ck.epoch).toBe(3);
      tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);

      const before = tf.memory().numTensors;
      const resumed = build();
      await resumed.fit(x, y, { ...fit, resume: path });
      const got = (await weightsOf(resumed.net)).flat();
      expect(got).toHaveLength(expected.length);
      let maxDiff = 0;
      got.forEach((v, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - expected[i]));
      });
      expect(maxDiff).toBeLessThan(1e-6);
      expect(resumed.history.loss).toHaveLength(6);
      for (let i = 0; i < 6; i++) expect(resumed.history.loss[i]).toBeCloseTo(straight.history.loss[i], 5);
      expect(tf.memory().numTensors - before).toBe(
        resumed.net.weights.length + 2 * resumed.net.trainableWeights.length + 2,
      );
      await Promise.all([straight.dispose(), first.dispose(), resumed.dispose()]);
      await useBackend('cpu');
      releaseBackend(backend);
    },
    120_000,
  );

  it('refuses bad checkpoint options and files with codes', async () => {
    const { x, y } = blobs(30);
    const m = build();
    await expect(m.fit(x, y, { checkpoint: { to: '' } })).rejects.toSatisfy((e) => isGraftError(e, 'INVALID_OPTION'));
    await expect(m.fit(x, y, { checkpoint: { to: join(dir, 'a'), every: 0 } })).rejects.toSatisfy((e) =>
      isGraftError(e, 'INVALID_OPTION'),
    );
    await expect(m.fit(x, y, { resume: join(dir, 'missing.ckpt') })).rejects.toSatisfy((e) =>
      isGraftError(e, 'LOAD_FAILED'),
    );
    // IndexedDB is a browser store: Node has none, and says so before training starts
    await expect(m.fit(x, y, { checkpoint: { to: 'indexeddb://run' } })).rejects.toSatisfy((e) =>
      isGraftError(e, 'UNSUPPORTED_TARGET'),
    );
    await expect(m.fit(x, y, { resume: 'indexeddb://run' })).rejects.toSatisfy((e) =>
      isGraftError(e, 'UNSUPPORTED_TARGET'),
    );
    expect(m.history.loss ?? []).toHaveLength(0);
    writeFileSync(join(dir, 'junk.ckpt'), 'not a checkpoint at all');
    await expect(m.fit(x, y, { resume: join(dir, 'junk.ckpt') })).rejects.toSatisfy((e) =>
      isGraftError(e, 'INVALID_MODEL_FILE'),
    );
    const other = sequential({ inputShape: [4], seed: 1 }).dense(3, { activation: 'softmax' });
    await other.fit(x, y, { epochs: 1, checkpoint: { to: join(dir, 'other.ckpt') } });
    await expect(m.fit(x, y, { resume: join(dir, 'other.ckpt') })).rejects.toSatisfy((e) =>
      isGraftError(e, 'SHAPE_MISMATCH'),
    );
    // deleteCheckpoint removes the file (resuming then finds none) and refuses IndexedDB in Node
    await deleteCheckpoint(join(dir, 'other.ckpt'));
    await expect(m.fit(x, y, { resume: join(dir, 'other.ckpt') })).rejects.toSatisfy((e) =>
      isGraftError(e, 'LOAD_FAILED'),
    );
    await expect(deleteCheckpoint('indexeddb://run')).rejects.toSatisfy((e) => isGraftError(e, 'UNSUPPORTED_TARGET'));
    await Promise.all([m.dispose(), other.dispose()]);
  });

  it.each(RELIABILITY_BACKENDS)(
    'a process killed while writing on %s leaves the previous checkpoint loadable',
    async (backend) => {
      const path = join(dir, `killed-${backend}.ckpt`);
      for (const delay of [0, 120, 350]) {
        const before = existsSync(path) ? statSync(path).mtimeMs : 0;
        const child = spawn(
          process.execPath,
          ['--conditions=graft-source', '--import', 'tsx', 'tests/reliability/checkpoint-writer.ts', path, backend],
          {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'ignore'],
          },
        );
        // wait until this child has written a checkpoint (busy machines start slowly), then kill it mid-run
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline && !(existsSync(path) && statSync(path).mtimeMs > before))
          await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, delay));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        const ck = await readCheckpoint(path);
        expect(ck.epoch).toBeGreaterThan(0);
        expect(ck.weights).toHaveLength(6);
        tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
      }
      // at least one run got far enough to checkpoint, and every checkpoint read back whole
      const ck = await readCheckpoint(path);
      expect(ck.epoch).toBeGreaterThan(0);
      tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
      expect(
        readdirSync(dir).filter((f) => f.startsWith(`killed-${backend}.ckpt`) && f !== `killed-${backend}.ckpt`).length,
      ).toBeLessThanOrEqual(3);
    },
    240_000,
  );
});
