import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs, weightsOf } from '../helpers/data';

const { x, y } = blobs(60);
const names = y.map((c) => ['cat', 'dog', 'emu'][c]);
const mlp = () => sequential({ inputShape: [4], seed: 1 }).dense(3, { activation: 'softmax' });

describe('what a fit settles, from its start', () => {
  let dir = '';
  beforeAll(async () => {
    await useBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'graft-fit-meta-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('save() in onEpochEnd of a first fit writes class names, task and loss', async () => {
    const model = mlp();
    const target = join(dir, 'mid-fit');
    let saved = false;
    await model.fit(x, names, {
      epochs: 3,
      learningRate: 0.05,
      onEpochEnd: async (epoch) => {
        if (epoch === 0) {
          await model.save(target);
          saved = true;
        }
      },
    });
    expect(saved).toBe(true);
    const loaded = await loadModel(target);
    expect(loaded.classNames).toEqual(['cat', 'dog', 'emu']);
    expect(loaded.metadata()).toMatchObject({ task: 'classification', loss: 'sparseCategoricalCrossentropy' });
    const p = (await loaded.predict(x[0])) as ClassPrediction;
    expect(typeof p.label).toBe('string');
    await loaded.dispose();
    await model.dispose();
  });

  it('a fit that throws puts the metadata back', async () => {
    const model = mlp();
    await expect(
      model.fit(x, names, {
        epochs: 2,
        onEpochEnd: () => {
          throw new Error('stop here');
        },
      }),
    ).rejects.toThrow('stop here');
    expect(model.classNames).toBeUndefined();
    expect(model.metadata().loss).toBeUndefined();
    await model.dispose();
  });
});

describe('earlyStopping monitors valLoss', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('without validation data an explicit monitor is required, refused before training', async () => {
    const model = mlp();
    model.summary(null);
    const before = await weightsOf(model.net);
    await expect(model.fit(x, y, { epochs: 3, earlyStopping: { patience: 1 } })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('monitor'),
    });
    // the optimizer the first call made is the model's; a second refusal adds nothing
    const tensors = tf.memory().numTensors;
    await expect(model.fit(x, y, { epochs: 3, earlyStopping: true })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await weightsOf(model.net)).toEqual(before);
    expect(model.history.loss).toHaveLength(0);
    await model.fit(x, y, { epochs: 2, earlyStopping: { monitor: 'loss', patience: 1 } });
    expect(model.history.loss.length).toBeGreaterThan(0);
    await model.dispose();
  });

  it('with validation data it monitors valLoss by default', async () => {
    const model = mlp();
    let seen = 0;
    // minDelta this large: only the first epoch counts as an improvement of valLoss, so patience 1 stops at 2
    await model.fit(x, y, {
      epochs: 10,
      validationSplit: 0.25,
      earlyStopping: { patience: 1, minDelta: 100 },
      onEpochEnd: () => {
        seen++;
      },
    });
    expect(model.lastFit?.stoppedBy).toBe('earlyStopping');
    expect(seen).toBe(2);
    await model.dispose();
  });
});
