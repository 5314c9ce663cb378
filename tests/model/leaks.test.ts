import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGraftError, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';

describe.each(TRAINING_BACKENDS)('no tensor leaks on %s', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'graft-leak-'));
  beforeAll(async () => {
    await useBackend(backend);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fit, predict, evaluate, save/load, an aborted fit and a failing fit leave only what the model owns', async () => {
    const { x, y } = blobs(90);
    const before = tf.memory().numTensors;
    const model = sequential({ inputShape: [4], seed: 1 })
      .dense(8, { activation: 'relu' })
      .dropout(0.2)
      .dense(3, { activation: 'softmax' });
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      validationSplit: 0.2,
      onEpochEnd: () => {},
      onBatchEnd: () => {},
      onProgress: () => {},
    });
    // the model owns its weights and Adam's state: two moments per trainable weight plus two beta powers
    const owned = model.net.weights.length + 2 * model.net.trainableWeights.length + 2;
    expect(tf.memory().numTensors - before).toBe(owned);
    const baseline = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;

    await model.fit(x, y, { epochs: 2, earlyStopping: { monitor: 'loss', patience: 1, restoreBestWeights: true } });
    for (let i = 0; i < 20; i++) await model.predict(x.slice(0, 5));
    await model.predict(x[0]);
    await model.evaluate(x, y);
    const controller = new AbortController();
    await model.fit(x, y, {
      epochs: 5,
      signal: controller.signal,
      onBatchEnd: (b) => (b === 1 ? controller.abort() : undefined),
    });
    await expect(
      model.fit(x, y, {
        epochs: 3,
        validationSplit: 0.3,
        onEpochEnd: (e) => {
          if (e === 1) throw new Error('callback failed');
        },
      }),
    ).rejects.toThrow('callback failed');
    await expect(
      model.fit(
        x,
        y.map((v) => v + 5),
        { epochs: 1 },
      ),
    ).rejects.toSatisfy((e) => isGraftError(e, 'LABEL_OUT_OF_RANGE'));
    await model.save(dir);
    expect(tf.memory().numTensors).toBe(baseline);
    expect(tf.memory().numBytes).toBe(bytes);

    await model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
