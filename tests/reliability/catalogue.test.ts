import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, ERROR_CODES } from '@graftjs/core';
import '@graftjs/backend-onnx';
import '@graftjs/backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';
import { CASES, type CatalogueContext } from './catalogue-cases';
import { outcome, snapshot, tinyClassifier } from './fixtures';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

// Every bad input the public API can meet, each with the code it must throw and proof that nothing changed:
// the model's weights and history, the dataset's values, the live tensor count.
const tried = new Set<string>();
const codes = new Set<string>();
const covered = new Set<string>();

describe.each(RELIABILITY_BACKENDS)('bad inputs on %s', (backend) => {
  const ctx = {} as CatalogueContext;

  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
    const { x, y } = blobs(24);
    ctx.backend = backend;
    ctx.x = x;
    ctx.y = y;
    ctx.dir = mkdtempSync(join(tmpdir(), 'graft-catalogue-'));
    ctx.data = Dataset.from(x, y);
    ctx.model = tinyClassifier();
    await ctx.model.fit(ctx.data, { epochs: 2, batchSize: 8, seed: 1 });
    await ctx.model.save(join(ctx.dir, 'valid'));
    ctx.onnx = await ctx.model.export('onnx');
  });

  afterAll(async () => {
    await ctx.model?.dispose();
    ctx.data?.dispose();
    rmSync(ctx.dir, { recursive: true, force: true });
    releaseBackend(backend);
  });

  it('the catalogue has at least 40 distinct cases', () => {
    expect(new Set(CASES.map((c) => `${c.area}: ${c.name}`)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of CASES) {
    const test = c.skipOn?.includes(backend)
      ? it.skip
      : c.bug && (!c.bugOn || c.bugOn.includes(backend))
        ? it.fails
        : it;
    test(`${c.area}: ${c.name} -> ${c.code}, nothing changed`, async () => {
      const before = await snapshot(ctx.model, ctx.data);
      tried.add(`${backend}/${c.area}/${c.name}`);
      covered.add(backend);
      const got = await outcome(() => c.run(ctx));
      if (got === c.code) codes.add(got);
      expect(got).toBe(c.code);
      expect(tf.getBackend()).toBe(backend);
      const after = await snapshot(ctx.model, ctx.data);
      expect(after.numTensors, 'live tensors').toBe(before.numTensors);
      expect(after.history, 'history').toBe(before.history);
      expect(after.weights, 'weights').toEqual(before.weights);
      expect(after.x, 'dataset x').toEqual(before.x);
      expect(after.y, 'dataset y').toEqual(before.y);
      // still usable: the same data evaluates on the same model without error or leak
      const n = tf.memory().numTensors;
      const scores = await ctx.model.evaluate(ctx.data);
      expect(Number.isFinite(scores.loss)).toBe(true);
      expect(tf.memory().numTensors).toBe(n);
    });
  }
});

afterAll(() => {
  console.log(
    `[reliability] catalogue: ${tried.size} cases tried (${CASES.length} per backend), ` +
      `${codes.size} of ${ERROR_CODES.length} error codes covered, backends covered: ${[...covered].join(', ')}`,
  );
});
