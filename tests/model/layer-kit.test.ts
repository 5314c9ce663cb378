/**
 * graft's own layer classes (preprocessing and augmentation) are not in the bundle an app downloads up front: they
 * load with a model's first fit, predict, evaluate or save, with `model.ready()`, with loadModel, or at once with
 * `import '@graftjs/core/layers'` (docs/preprocessing.md). This file imports nothing that loads them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Dataset, isGraftError, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'graft-layer-kit-'));

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return isGraftError(e) ? e.code : String(e);
  }
}

async function child(...args: string[]) {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=graft-source', '--import', 'tsx', 'tests/helpers/layer-kit-child.ts', ...args],
    { cwd: ROOT },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

describe("graft's own layer classes load before the first build", () => {
  beforeAll(() => useBackend('cpu'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a synchronous read before they load is refused (NOT_BUILT) and changes nothing; fit loads them', async () => {
    const m = sequential({ inputShape: [3, 3, 1], seed: 2 })
      .randomFlip('vertical', { seed: 4 })
      .flatten();
    // the arguments are still checked at the call, without the classes
    expect(codeOf(() => m.randomRotation(Number.NaN))).toBe('INVALID_LAYER');
    expect(codeOf(() => m.net)).toBe('NOT_BUILT');
    expect(codeOf(() => m.summary(null))).toBe('NOT_BUILT');
    const before = tf.memory().numTensors;
    // still unbuilt: layers can be added, and fit builds it
    m.dense(2, { activation: 'softmax' });
    const pixels = tf.tensor4d(
      Array.from({ length: 36 }, (_, i) => i % 7),
      [4, 3, 3, 1],
    );
    const x = Dataset.from(pixels, [0, 1, 0, 1]);
    pixels.dispose();
    await m.fit(x, { epochs: 1, batchSize: 2, seed: 1 });
    expect(m.net.layers.map((l) => l.getClassName())).toEqual(['RandomFlip', 'Flatten', 'Dense']);
    expect(m.summary(null)).toContain('RandomFlip');
    await m.save(`file://${join(dir, 'flip')}`);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loadModel registers them before it reads the saved model, in a process that never loaded them', async () => {
    const out = await child('load', join(dir, 'flip'));
    expect(out.registeredBefore).toBe(false);
    expect(out.layers).toEqual(['RandomFlip:"vertical"', 'Flatten:null', 'Dense:null']);
  });

  it('model.ready() loads them, so net and summary() work synchronously (a fresh process)', async () => {
    const out = await child('ready');
    expect(out).toEqual({
      registeredBefore: false,
      refused: 'NOT_BUILT',
      layers: ['RandomFlip', 'GraftResizing', 'Flatten', 'Dense'],
      registeredAfter: true,
    });
  });
});
