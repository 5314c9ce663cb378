import { enableNodeWebGPU, releaseWebGPU } from '@graftjs/backend-webgpu';
import { backends, createRng, Dataset, type Model, TransferModel } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVulkanDriver } from '../../packages/backend-webgpu/test/vulkan-env';
import { TRAINING_BACKENDS } from '../helpers/backends';

// One suite, every training backend: the same seeded models give the same forward outputs (1e-4) and
// the same per-epoch losses over 3 epochs (1e-3) as the cpu backend.

export const FORWARD_TOLERANCE = 1e-4;
export const LOSS_TOLERANCE = 1e-3;
export const EPOCHS = 3;

export interface Case {
  name: string;
  build(): Promise<Model>;
  shape: number[];
  classes: number;
  samples: number;
  /** End-to-end MobileNet training needs a small rate to stay stable (chaos would amplify float differences). */
  learningRate?: number;
  /** Default 8. */
  batchSize?: number;
  /** Samples in the forward comparison (default 4); drawn like the training data, the first ones of it. */
  probe?: number;
  /**
   * Multiplies the forward probe (default 1), to compare a base at the input range it trains on: a "caffe"
   * base (0..255) gives outputs ~255x larger than on 0..1 data, where 1e-4 would be a loose check.
   */
  probeScale?: number;
  /** How long the cpu reference may take (default 5 minutes). */
  referenceTimeoutMs?: number;
}

/** The first max(samples, probe) rows of one seeded data set. */
function data(c: Case): { x: Float32Array; y: number[] } {
  const rng = createRng(11);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const rows = Math.max(c.samples, c.probe ?? 4);
  const x = new Float32Array(rows * size);
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const label = i % c.classes;
    y.push(label);
    // a class-dependent brightness so the losses move
    for (let j = 0; j < size; j++) x[i * size + j] = rng.next() * 0.5 + (label / c.classes) * (j % 2);
  }
  return { x, y };
}

export interface Run {
  forward: Float32Array;
  losses: number[];
}

export async function runOn(backend: string, c: Case): Promise<Run> {
  await backends.use(backend);
  const { x, y } = data(c);
  const size = x.length / y.length;
  const model = await c.build();
  const ds = Dataset.from(
    { data: x.subarray(0, c.samples * size), shape: [c.samples, ...c.shape] },
    y.slice(0, c.samples),
  );
  const probeRows = c.probe ?? 4;
  const probe = tf.tidy(() =>
    tf.mul(tf.tensor(x.subarray(0, probeRows * size), [probeRows, ...c.shape]), c.probeScale ?? 1),
  );
  // compare what the base computes (a fresh head's softmax is near uniform and would hide differences)
  const out =
    model instanceof TransferModel && model.backbone.kind === 'layers'
      ? (model.backbone.model.predict(probe) as tf.Tensor)
      : await model.predictTensor(probe);
  const forward = (await out.data()) as Float32Array;
  tf.dispose([probe, out]);
  await model.fit(ds, {
    epochs: EPOCHS,
    batchSize: c.batchSize ?? 8,
    seed: 1,
    learningRate: c.learningRate ?? 0.01,
    featureCache: false,
  });
  const losses = [...model.history.loss];
  ds.dispose();
  model.dispose();
  // the base is the caller's (a transfer model never frees it): freed here, before its backend is released
  if (model instanceof TransferModel && model.backbone.kind === 'layers') model.backbone.model.dispose();
  return { forward, losses };
}

export const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const driver = findVulkanDriver();
if (!driver)
  console.warn('[parity] webgpu SKIPPED: no Vulkan driver (run: bash .ci/vulkan.sh && . .cache/vulkan/env.sh)');
/** The backends compared with cpu: every training backend, plus webgpu where a Vulkan driver is found. */
export const OTHERS = [...TRAINING_BACKENDS.filter((b) => b !== 'cpu'), ...(driver ? ['webgpu'] : [])];

/** One describe per case: the cpu reference once, then one test per other backend. */
export function describeParity(cases: Case[]): void {
  describe.each(cases)('parity: $name', (c) => {
    let reference: Run;
    beforeAll(async () => {
      if (driver) await enableNodeWebGPU();
      reference = await runOn('cpu', c);
      expect(reference.losses).toHaveLength(EPOCHS);
      expect(reference.losses.every(Number.isFinite)).toBe(true);
    }, c.referenceTimeoutMs ?? 300_000);
    afterAll(() => {
      if (driver) releaseWebGPU();
    });

    it.each(OTHERS)(
      '%s matches cpu',
      async (backend) => {
        const run = await runOn(backend, c);
        expect(maxDiff(run.forward, reference.forward)).toBeLessThan(FORWARD_TOLERANCE);
        expect(run.losses).toHaveLength(EPOCHS);
        expect(maxDiff(run.losses, reference.losses)).toBeLessThan(LOSS_TOLERANCE);
      },
      600_000,
    );
  });
}
