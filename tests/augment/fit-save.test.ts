/**
 * Augmentation layers inside a model: active in fit (a seeded fit through them differs from one through the same
 * layers pinned to the identity, and repeats exactly), saved and loaded with the model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { ramp } from './helpers';

const labels = Array.from({ length: 8 }, (_, i) => i % 2);

function model(rotation: number, brightness: number) {
  return sequential({ inputShape: [6, 6, 1], seed: 3 })
    .randomFlip('horizontal')
    .randomRotation(rotation)
    .randomBrightness(brightness)
    .flatten()
    .dense(2, { activation: 'softmax' });
}

async function trained(rotation: number, brightness: number): Promise<number[]> {
  const x = tf.div(ramp(8, 6, 6), 255);
  const m = model(rotation, brightness);
  await m.fit(x, labels, { epochs: 2, batchSize: 4, learningRate: 0.05, seed: 11, shuffle: false });
  const w = Array.from(m.net.trainableWeights[0].read().dataSync());
  x.dispose();
  m.dispose();
  return w;
}

describe('augmentation layers in fit, save and load', () => {
  const root = mkdtempSync(join(tmpdir(), 'graft-augment-'));
  beforeAll(() => useBackend('cpu'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a seeded fit augments its batches: repeatable, and unlike the fit with identity factors', async () => {
    const a = await trained(0.2, 0.2);
    expect(await trained(0.2, 0.2)).toEqual(a);
    // flip stays on in both: the rotation and brightness draws are what differ
    expect(await trained(0, 0)).not.toEqual(a);
  });

  it('saves and loads with every layer and argument, predicting the same', async () => {
    const m = sequential({ inputShape: [8, 8, 3], seed: 1 })
      .randomFlip('vertical', { seed: 4 })
      .randomRotation([-0.1, 0.2], { fillMode: 'constant', fillValue: 3, interpolation: 'nearest' })
      .randomZoom(0.2, [0.1, 0.3])
      .randomTranslation(0.1, [-0.2, 0.1], { fillMode: 'wrap' })
      .randomCrop(6, 6)
      .randomContrast([0.2, 0.5])
      .randomBrightness(0.1, { valueRange: [0, 1] })
      .flatten()
      .dense(3, { activation: 'softmax' });
    const x = tf.div(ramp(2, 8, 8, 3), 255);
    const before = (await m.predict(x)) as ClassPrediction[];
    await m.save(join(root, 'm'));
    const loaded = await loadModel(join(root, 'm'));
    const config = (l: { getConfig(): object }) => {
      const { name, ...rest } = l.getConfig() as { name: string };
      return rest;
    };
    expect(loaded.net.layers.map((l) => l.getClassName())).toEqual(m.net.layers.map((l) => l.getClassName()));
    expect(loaded.net.layers.map(config)).toEqual(m.net.layers.map(config));
    expect(loaded.net.layers[1].getConfig()).toMatchObject({ factor: [-0.1, 0.2], fillMode: 'constant', fillValue: 3 });
    expect(loaded.net.layers[0].getConfig()).toMatchObject({ mode: 'vertical', seed: 4 });
    const after = (await loaded.predict(x)) as ClassPrediction[];
    expect(after.map((p) => p.probabilities)).toEqual(before.map((p) => p.probabilities));
    x.dispose();
    m.dispose();
    loaded.dispose();
  });
});
