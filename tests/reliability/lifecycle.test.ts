import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@graftjs/backend-onnx';
import '@graftjs/backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';
import { LIFECYCLE_CASES } from './lifecycle-cases';
import { CHECKPOINT_CASES } from './lifecycle-checkpoints';
import type { LifecycleContext } from './lifecycle-fixtures';
import { WORKER_CASES } from './lifecycle-worker';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

// Ownership, fits in progress, backend switches, state after errors, checkpoints and the worker protocol
// (issue 14): each case states what a careful user expects and leaves no tensor behind.
const CASES = [...LIFECYCLE_CASES, ...CHECKPOINT_CASES, ...WORKER_CASES];
const tried = new Set<string>();

describe.each(RELIABILITY_BACKENDS)('lifecycle on %s', (backend) => {
  const ctx = {} as LifecycleContext;

  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
    const { x, y } = blobs(24);
    Object.assign(ctx, { backend, other: backend === 'cpu' ? 'wasm' : 'cpu', x, y });
    ctx.dir = mkdtempSync(join(tmpdir(), 'graft-lifecycle-'));
  });

  afterAll(() => {
    rmSync(ctx.dir, { recursive: true, force: true });
    releaseBackend(backend);
  });

  it('every case has its own name', () => {
    expect(new Set(CASES.map((c) => `${c.area}: ${c.name}`)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    const test = c.skipOn?.includes(backend) ? it.skip : it;
    test(`${c.area}: ${c.name}`, async () => {
      await useBackend(backend);
      const n = tf.memory().numTensors;
      tried.add(`${backend}/${c.area}/${c.name}`);
      await c.run(ctx);
      expect(tf.getBackend()).toBe(backend);
      expect(tf.memory().numTensors, 'live tensors after the case').toBe(n);
    });
  }
});

afterAll(() => {
  console.log(`[reliability] lifecycle: ${tried.size} cases tried (${CASES.length} per backend)`);
});
