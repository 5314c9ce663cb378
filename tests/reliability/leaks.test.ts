import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGraftError, loadModel, type Model } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';
import { tinyClassifier } from './fixtures';
import { prepareBackend, RELIABILITY_BACKENDS, releaseBackend } from './training-backends';

/** What a trained model keeps alive: its weights and Adam's state (2 moments per trainable weight + 2 scalars). */
function owned(model: Model): { tensors: number; bytes: number } {
  const size = (shape: (number | null)[]) => 4 * shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  const weightBytes = model.net.weights.reduce((s, w) => s + size(w.shape), 0);
  const trainableBytes = model.net.trainableWeights.reduce((s, w) => s + size(w.shape), 0);
  return {
    tensors: model.net.weights.length + 2 * model.net.trainableWeights.length + 2,
    bytes: weightBytes + 2 * trainableBytes + 2 * 4,
  };
}

const live = () => ({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });

describe.each(RELIABILITY_BACKENDS)('no tensor leaks on %s over long runs', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'graft-rel-leak-'));
  beforeAll(async () => {
    await prepareBackend(backend);
    await useBackend(backend);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    releaseBackend(backend);
  });

  it('50 epochs, 1,000 predicts, evaluate, save, load, an aborted fit and a failing fit: count and bytes hold', async () => {
    const { x, y } = blobs(30);
    const start = live();
    const model = tinyClassifier(3);
    let epochs = 0;
    let batches = 0;
    await model.fit(x, y, {
      epochs: 50,
      batchSize: 16,
      validationSplit: 0.2,
      seed: 1,
      learningRate: 0.02,
      earlyStopping: { patience: 100 },
      onEpochEnd: () => {
        epochs++;
      },
      onBatchEnd: () => {
        batches++;
      },
      onProgress: () => {},
    });
    expect(epochs).toBe(50);
    expect(batches).toBeGreaterThanOrEqual(50);
    const own = owned(model);
    const trained = live();
    expect(trained.tensors - start.tensors, 'tensors the model owns').toBe(own.tensors);
    expect(trained.bytes - start.bytes, 'bytes the model owns').toBe(own.bytes);

    for (let i = 0; i < 1000; i++) await model.predict(x[i % x.length]);
    expect(live(), 'after 1,000 predicts').toEqual(trained);

    const scores = await model.evaluate(x, y);
    expect(scores.accuracy).toBeGreaterThan(0.9); // it trained: the counts above are about a working model
    expect(live(), 'after evaluate').toEqual(trained);

    await model.save(dir);
    expect(live(), 'after save').toEqual(trained);
    const loaded = await loadModel(dir);
    expect(live().tensors - trained.tensors, 'a loaded model owns its weights only').toBe(loaded.net.weights.length);
    await loaded.predict(x[0]);
    await loaded.dispose();
    expect(live(), 'after load + dispose').toEqual(trained);

    const controller = new AbortController();
    await model.fit(x, y, {
      epochs: 10,
      batchSize: 8,
      signal: controller.signal,
      onBatchEnd: (b) => (b === 1 ? controller.abort() : undefined),
    });
    expect(model.lastFit?.stoppedBy).toBe('aborted');
    expect(live(), 'after an aborted fit').toEqual(trained);

    await expect(
      model.fit(x, y, {
        epochs: 5,
        validationSplit: 0.3,
        onEpochEnd: (e) => {
          if (e === 2) throw new Error('callback failed midway');
        },
      }),
    ).rejects.toThrow('callback failed midway');
    expect(live(), 'after a fit that threw midway').toEqual(trained);

    await expect(
      model.fit(
        x,
        y.map((v) => v + 5),
      ),
    ).rejects.toSatisfy((e) => isGraftError(e, 'LABEL_OUT_OF_RANGE'));
    expect(live(), 'after a refused fit').toEqual(trained);

    await model.dispose();
    expect(live(), 'after dispose').toEqual(start);
  });
});
