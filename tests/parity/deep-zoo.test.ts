import { TransferModel, transfer } from '@graftjs/core';
import { resnet50, vgg16 } from '@graftjs/zoo';
import { describe, expect, it } from 'vitest';
import { type Case, describeParity } from './parity-harness';

// The zoo's deep architectures, every conv trained, on every training backend (parity.test.ts's tolerances).
// The cpu reference is what costs. tfjs-backend-cpu's own Conv2DBackpropFilter (TensorBuffer get/set, ~0.2 us per
// multiply-add) took ~17 s (ResNet50) and ~60 s (VGG16) per 32x32 image step; core now replaces it with a flat-array
// loop (tested against the stock kernel in packages/core/test), which brings the whole file to well under a minute
// of cpu time. Still: the smallest input Keras allows, one sample, batch 1, 3 epochs of one step each.

const CASES: Case[] = [
  {
    name: 'ResNet50 (32x32), every conv trained (BatchNorm in inference mode)',
    shape: [32, 32, 3],
    classes: 3,
    samples: 1,
    batchSize: 1,
    // caffe inputs (0..255) through 53 convs with identity BatchNorm give logits in the tens: 1e-5 drops the loss
    // 2.86 -> 0.09 -> 0.003 in two steps; 2e-6 trains smoothly (2.86 -> 1.91 -> 1.11)
    learningRate: 2e-6,
    probeScale: 255,
    referenceTimeoutMs: 900_000,
    build: async () =>
      transfer(await resnet50({ inputShape: [32, 32, 3], seed: 6 }), { seed: 6 })
        .freeze()
        .unfreeze()
        .addHead(3),
  },
  {
    name: 'VGG16 (32x32), every conv trained',
    shape: [32, 32, 3],
    classes: 3,
    samples: 1,
    batchSize: 1,
    learningRate: 1e-5,
    probeScale: 255,
    referenceTimeoutMs: 900_000,
    build: async () =>
      transfer(await vgg16({ inputShape: [32, 32, 3], seed: 7 }), { seed: 7 })
        .freeze()
        .unfreeze()
        .addHead(3),
  },
];

describe('the deep zoo cases train every conv', () => {
  it.each(CASES)('$name', async (c) => {
    const model = await c.build();
    if (!(model instanceof TransferModel) || model.backbone.kind !== 'layers')
      throw new Error('expected a layers base');
    const convs = model.backbone.model.layers.filter((l) => l.getClassName() === 'Conv2D');
    const trainable = new Set(model.net.trainableWeights);
    expect(convs.length).toBeGreaterThanOrEqual(13);
    for (const conv of convs) {
      expect(conv.weights).toHaveLength(2); // kernel and bias
      for (const w of conv.weights) expect(trainable.has(w), `${w.name} trains`).toBe(true);
    }
    await model.dispose();
  });
});

describeParity(CASES);
