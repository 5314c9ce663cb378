import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  backends,
  isGraftError,
  type ModelSpec,
  serveTraining,
  type TrainingData,
  WorkerTrainer,
} from '../../src/index';

// A MessageChannel stands in for the Worker: serveTraining on one port, WorkerTrainer on the other.
function pair(): { trainer: WorkerTrainer; close(): void } {
  const { port1, port2 } = new MessageChannel();
  serveTraining(port1 as never);
  const trainer = new WorkerTrainer(port2 as never);
  return {
    trainer,
    close() {
      port1.close();
      port2.close();
    },
  };
}

const SPEC: ModelSpec = {
  kind: 'sequential',
  inputShape: [4],
  seed: 1,
  layers: [
    { layer: 'dense', args: [8, { activation: 'relu' }] },
    { layer: 'dense', args: [2, { activation: 'softmax' }] },
  ],
};

/** Two separable classes: the sign of the first feature. */
function data(n = 32): TrainingData {
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === 0 ? (y[i] ? 1 : -1) : 0.1 * ((i * 7 + j) % 5)) + 0.01 * j;
  }
  return { x: { data: x, shape: [n, 4] }, y, classNames: ['neg', 'pos'] };
}

let open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open) o.close();
  open = [];
});

beforeAll(async () => {
  await backends.use('cpu');
});

describe('WorkerTrainer + serveTraining', () => {
  it('trains in the other context, reports progress and epochs, and returns loadable weights', async () => {
    const p = pair();
    open.push(p);
    const choice = await p.trainer.useBackend('cpu');
    expect(choice.name).toBe('cpu');
    const progress: number[] = [];
    const epochs: number[] = [];
    const d = data();
    const result = await p.trainer.fit(SPEC, d, {
      epochs: 30,
      batchSize: 8,
      seed: 3,
      learningRate: 0.05,
      onProgress: (e) => progress.push(e.fraction),
      onEpochEnd: (e) => epochs.push(e),
    });
    // buffers were transferred, not copied
    expect(d.x.data.length).toBe(0);
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeCloseTo(1, 5);
    expect(result.history.loss).toHaveLength(30);
    expect(result.history.loss[29]).toBeLessThan(result.history.loss[0]);
    expect(result.summary?.stoppedBy).toBe('completed');
    expect(result.classNames).toEqual(['neg', 'pos']);
    const model = await result.load();
    const pred = (await model.predict([1, 0.1, 0.2, 0.3])) as { label: string };
    expect(pred.label).toBe('pos');
    const before = tf.memory().numTensors;
    await model.predict([-1, 0.1, 0.2, 0.3]);
    expect(tf.memory().numTensors).toBe(before);
    await model.dispose();
  });

  it('stops at the next batch when the signal aborts, and still returns the weights', async () => {
    const p = pair();
    open.push(p);
    const controller = new AbortController();
    const result = await p.trainer.fit(SPEC, data(64), {
      epochs: 200,
      batchSize: 4,
      onProgress: (e) => {
        if (e.epoch >= 1) controller.abort();
      },
      signal: controller.signal,
    });
    expect(result.summary?.stoppedBy).toBe('aborted');
    expect(result.history.loss.length).toBeLessThan(200);
    expect((await result.load()).classNames).toEqual(['neg', 'pos']);
  });

  it('continues training the same model (fine-tuning) without leaking tensors in the worker', async () => {
    const p = pair();
    open.push(p);
    await p.trainer.fit(SPEC, data(), { epochs: 2 });
    await p.trainer.fit({ kind: 'continue' }, data(), { epochs: 2 });
    const before = tf.memory().numTensors;
    const again = await p.trainer.fit({ kind: 'continue' }, data(), { epochs: 2 });
    expect(tf.memory().numTensors).toBe(before);
    // history accumulates over the fits of one model
    expect(again.history.loss).toHaveLength(6);
  });

  it('rejects bad specs and data with GraftError codes before posting', async () => {
    const p = pair();
    open.push(p);
    const bad: [unknown, unknown, string][] = [
      [null, data(), 'INVALID_OPTION'],
      [{ kind: 'keras' }, data(), 'INVALID_OPTION'],
      [{ ...SPEC, layers: [] }, data(), 'INVALID_LAYER'],
      [{ ...SPEC, layers: [{ layer: 'lstm' }] }, data(), 'INVALID_LAYER'],
      [{ ...SPEC, inputShape: [] }, data(), 'INVALID_OPTION'],
      [{ kind: 'transfer', backbone: '', head: 2 }, data(), 'UNKNOWN_BACKBONE'],
      [{ kind: 'transfer', backbone: 'mobilenet_v1_0.25_224', head: 0 }, data(), 'INVALID_HEAD'],
      [{ kind: 'transfer', backbone: 'mobilenet_v1_0.25_224', head: 2, from: 5 }, data(), 'INVALID_OPTION'],
      [SPEC, { x: [1, 2], y: [0] }, 'INVALID_DATA'],
      [SPEC, { x: { data: [1, 2, 3, 4], shape: [1, 4] }, y: [0] }, 'INVALID_DATA'],
      [SPEC, { x: { data: new Float32Array(4), shape: [2, 4] }, y: [0, 1] }, 'SHAPE_MISMATCH'],
      [SPEC, { x: { data: new Float32Array(8), shape: [2, 4] }, y: [0] }, 'LENGTH_MISMATCH'],
      [SPEC, { x: { data: new Float32Array(8), shape: [2, 4] }, y: 'ab' }, 'INVALID_LABEL'],
    ];
    for (const [spec, d, code] of bad) {
      const err = await p.trainer.fit(spec as never, d as never).catch((e) => e);
      expect(isGraftError(err, code as never), `${JSON.stringify(spec)} -> ${err}`).toBe(true);
    }
    expect(() => new WorkerTrainer({} as never)).toThrow(/INVALID_OPTION/);
    await expect(p.trainer.fit(SPEC, data(), null as never)).rejects.toThrow(/INVALID_OPTION/);
    await expect(p.trainer.useBackend(3 as never)).rejects.toThrow(/UNKNOWN_BACKEND/);
  });

  it('passes the worker-side GraftError back with its code', async () => {
    const p = pair();
    open.push(p);
    // fresh worker: nothing trained yet to continue
    await expect(p.trainer.fit({ kind: 'continue' }, data())).rejects.toMatchObject({ code: 'NOT_BUILT' });
    // input shape disagrees with the data: raised by core inside the worker
    await expect(p.trainer.fit({ ...SPEC, inputShape: [5] }, data())).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    await expect(p.trainer.useBackend('tpu')).rejects.toMatchObject({ code: 'UNKNOWN_BACKEND' });
  });

  it('refuses a second fit while one runs', async () => {
    const p = pair();
    open.push(p);
    const first = p.trainer.fit(SPEC, data(), { epochs: 3 });
    await expect(p.trainer.fit(SPEC, data(), { epochs: 1 })).rejects.toMatchObject({ code: 'FIT_IN_PROGRESS' });
    await first;
  });
});
