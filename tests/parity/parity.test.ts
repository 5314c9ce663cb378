import { enableNodeWebGPU, releaseWebGPU } from '@graft/backend-webgpu';
import { backends, createRng, Dataset, type Model, sequential, TransferModel, transfer } from '@graft/core';
import { mobilenetV1, mobilenetV2 } from '@graft/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVulkanDriver } from '../../packages/backend-webgpu/test/vulkan-env';
import { TRAINING_BACKENDS } from '../helpers/backends';

// One suite, every training backend: the same seeded models give the same forward outputs (1e-4) and
// the same per-epoch losses over 3 epochs (1e-3) as the cpu backend.

interface Case {
  name: string;
  build(): Promise<Model>;
  shape: number[];
  classes: number;
  samples: number;
  /** End-to-end MobileNet training needs a small rate to stay stable (chaos would amplify float differences). */
  learningRate?: number;
}

const CASES: Case[] = [
  {
    name: "the seed's MLP",
    shape: [28, 28],
    classes: 10,
    samples: 96,
    build: async () =>
      sequential({ inputShape: [28, 28], seed: 1 })
        .flatten()
        .dense(128, { activation: 'relu' })
        .dense(64, { activation: 'relu' })
        .dense(10, { activation: 'softmax' }),
  },
  {
    name: 'a small CNN with every image layer',
    shape: [12, 12, 1],
    classes: 3,
    samples: 48,
    build: async () =>
      sequential({ inputShape: [12, 12, 1], seed: 2 })
        .conv2d(6, 3, { activation: 'relu', padding: 'same' })
        .batchNorm()
        .depthwiseConv2d(3, { strides: 2, padding: 'same' })
        .activation('relu6')
        .maxPool2d(2)
        .avgPool2d(2, { strides: 1, padding: 'same' })
        .dropout(0.2)
        .conv2d(8, 1)
        .globalAvgPool2d()
        .dense(3, { activation: 'softmax' }),
  },
  {
    name: 'MobileNet v1 (alpha 0.25, 32x32), every conv trained (BatchNorm in inference mode)',
    shape: [32, 32, 3],
    classes: 3,
    samples: 24,
    learningRate: 1e-3,
    // training-mode BN on 1x1 maps from batches of 8 is ill-conditioned (float noise amplified ~30x per layer):
    // the Keras fine-tuning recipe keeps BN in inference mode, which is what unfreeze() does by default
    build: async () =>
      transfer(await mobilenetV1({ alpha: 0.25, inputShape: [32, 32, 3], seed: 3 }), { seed: 3 })
        .freeze()
        .unfreeze()
        .addHead(3),
  },
  {
    name: 'MobileNet v2 (alpha 0.35, 32x32), every conv trained (BatchNorm in inference mode)',
    shape: [32, 32, 3],
    classes: 3,
    samples: 24,
    learningRate: 1e-3,
    build: async () =>
      transfer(await mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], seed: 4 }), { seed: 4 })
        .freeze()
        .unfreeze()
        .addHead(3),
  },
  {
    name: 'a transfer model on a frozen BatchNorm base',
    shape: [32, 32, 3],
    classes: 3,
    samples: 24,
    build: async () =>
      transfer(await mobilenetV2({ alpha: 0.35, inputShape: [32, 32, 3], seed: 5 }), { seed: 5 })
        .freeze()
        .addHead(3),
  },
];

function data(c: Case): { x: Float32Array; y: number[] } {
  const rng = createRng(11);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(c.samples * size);
  const y: number[] = [];
  for (let i = 0; i < c.samples; i++) {
    const label = i % c.classes;
    y.push(label);
    // a class-dependent brightness so the losses move
    for (let j = 0; j < size; j++) x[i * size + j] = rng.next() * 0.5 + (label / c.classes) * (j % 2);
  }
  return { x, y };
}

interface Run {
  forward: Float32Array;
  losses: number[];
}

async function runOn(backend: string, c: Case): Promise<Run> {
  await backends.use(backend);
  const { x, y } = data(c);
  const model = await c.build();
  const ds = Dataset.from({ data: x, shape: [c.samples, ...c.shape] }, y);
  const probe = tf.tensor(x.subarray(0, 4 * (x.length / c.samples)), [4, ...c.shape]);
  // compare what the base computes (a fresh head's softmax is near uniform and would hide differences)
  const out =
    model instanceof TransferModel && model.backbone.kind === 'layers'
      ? (model.backbone.model.predict(probe) as tf.Tensor)
      : await model.predictTensor(probe);
  const forward = (await out.data()) as Float32Array;
  tf.dispose([probe, out]);
  await model.fit(ds, { epochs: 3, batchSize: 8, seed: 1, learningRate: c.learningRate ?? 0.01, featureCache: false });
  const losses = [...model.history.loss];
  ds.dispose();
  await model.dispose();
  return { forward, losses };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const driver = findVulkanDriver();
if (!driver)
  console.warn('[parity] webgpu SKIPPED: no Vulkan driver (run: bash .ci/vulkan.sh && . .cache/vulkan/env.sh)');
const others = [...TRAINING_BACKENDS.filter((b) => b !== 'cpu'), ...(driver ? ['webgpu'] : [])];

describe.each(CASES)('parity: $name', (c) => {
  let reference: Run;
  beforeAll(async () => {
    if (driver) await enableNodeWebGPU();
    reference = await runOn('cpu', c);
    expect(reference.losses).toHaveLength(3);
    expect(reference.losses.every(Number.isFinite)).toBe(true);
  }, 300_000);
  afterAll(() => {
    if (driver) releaseWebGPU();
  });

  it.each(others)(
    '%s matches cpu',
    async (backend) => {
      const run = await runOn(backend, c);
      expect(maxDiff(run.forward, reference.forward)).toBeLessThan(1e-4);
      expect(run.losses).toHaveLength(3);
      expect(maxDiff(run.losses, reference.losses)).toBeLessThan(1e-3);
    },
    600_000,
  );
});
