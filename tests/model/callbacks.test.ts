/**
 * The fit pipeline's callback list: a user callback stops training (Keras `model.stop_training`), each fit's own
 * History is kept (`lastFit.history`) while `model.history` appends, callback objects get the fit's params, and
 * the list runs in its documented order (Progress, non-finite guard, History, Checkpoint, EarlyStopping, user's).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Callback, isGraftError, type Logs, readCheckpoint, sequential, type TrainParams } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';

const mlp = () =>
  sequential({ inputShape: [4], seed: 1 })
    .dense(8, { activation: 'relu' })
    .dense(3, { activation: 'softmax' });

describe('fit callbacks', () => {
  const { x, y } = blobs(48);
  const dir = mkdtempSync(join(tmpdir(), 'graft-callbacks-'));
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a plain callback sets model.stopTraining at an epoch end: the fit resolves after that epoch', async () => {
    const model = mlp();
    const seen: number[] = [];
    await model.fit(x, y, {
      epochs: 6,
      onEpochEnd: (epoch) => {
        seen.push(epoch);
        if (epoch === 1) model.stopTraining = true;
      },
    });
    expect(seen).toEqual([0, 1]);
    expect(model.history.loss).toHaveLength(2);
    expect(model.lastFit?.stoppedBy).toBe('stopTraining');
    expect(model.lastFit?.epochs).toBe(2);
    // the next fit starts with the flag down
    await model.fit(x, y, { epochs: 2 });
    expect(model.lastFit?.stoppedBy).toBe('completed');
    expect(model.history.loss).toHaveLength(4);
    await model.dispose();
  });

  it('a Callback subclass stops mid-epoch through this.model: that epoch still ends with its logs', async () => {
    class StopAfter extends Callback {
      batches = 0;
      logs: Logs[] = [];
      async onBatchEnd(): Promise<void> {
        this.batches++;
        if (this.batches === 4 && this.model) this.model.stopTraining = true;
      }
      async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
        this.logs.push(logs);
      }
    }
    const model = mlp();
    const stop = new StopAfter();
    // 48 samples in batches of 8: 6 batches per epoch, so the stop lands in the first epoch
    await model.fit(x, y, { epochs: 3, batchSize: 8, callbacks: [stop] });
    expect(stop.batches).toBe(4);
    expect(stop.logs).toHaveLength(1);
    expect(Number.isFinite(stop.logs[0].loss)).toBe(true);
    expect(model.lastFit?.stoppedBy).toBe('stopTraining');
    expect(model.history.loss).toHaveLength(1);
    await model.dispose();
  });

  it('each fit keeps its own history in lastFit.history; model.history appends them', async () => {
    const model = mlp();
    await model.fit(x, y, { epochs: 2, validationSplit: 0.25, seed: 3 });
    const first = model.lastFit;
    await model.fit(x, y, { epochs: 3 });
    const second = model.lastFit;
    expect(first?.history.loss).toHaveLength(2);
    expect(first?.history.valLoss).toHaveLength(2);
    expect(second?.history.loss).toHaveLength(3);
    expect(second?.history.valLoss).toBeUndefined();
    expect(model.history.loss).toEqual([...(first?.history.loss ?? []), ...(second?.history.loss ?? [])]);
    expect(model.history.valLoss).toEqual(first?.history.valLoss);
    await model.dispose();
  });

  it('callback objects receive the fit parameters before training begins', async () => {
    let params: TrainParams | null = null;
    class Spy extends Callback {
      async onTrainBegin(): Promise<void> {
        params = this.params;
      }
    }
    const model = mlp();
    await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25, seed: 1, callbacks: [new Spy()] });
    expect(params).toEqual({
      epochs: 2,
      initialEpoch: 0,
      batches: 3, // 36 training samples after the split, batches of 16
      samples: 36,
      metrics: ['loss', 'accuracy', 'valLoss', 'valAccuracy'],
      featureCache: false,
    });
    await model.dispose();
  });

  it('runs the list in order: History and Checkpoint before the user callbacks, options before callbacks[]', async () => {
    const model = mlp();
    const ckpt = join(dir, 'order.ckpt');
    const order: string[] = [];
    // the checkpoint written at this epoch's end holds this epoch: History recorded it, Checkpoint saved it, first
    const saved = async () => {
      const ck = await readCheckpoint(ckpt);
      tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
      return ck.history.loss.length;
    };
    await model.fit(x, y, {
      epochs: 2,
      checkpoint: { to: ckpt },
      earlyStopping: { monitor: 'loss', patience: 5 },
      onTrainBegin: () => {
        order.push('options.trainBegin');
      },
      onEpochEnd: async (epoch) => {
        order.push(`options.epochEnd ${epoch} saved=${existsSync(ckpt) ? await saved() : 0}`);
      },
      callbacks: [
        {
          onTrainBegin: () => {
            order.push('list.trainBegin');
          },
          onEpochEnd: (epoch) => {
            order.push(`list.epochEnd ${epoch}`);
          },
          onTrainEnd: ({ stoppedBy }) => {
            order.push(`list.trainEnd ${stoppedBy}`);
          },
        },
      ],
    });
    expect(order).toEqual([
      'options.trainBegin',
      'list.trainBegin',
      'options.epochEnd 0 saved=1',
      'list.epochEnd 0',
      'options.epochEnd 1 saved=2',
      'list.epochEnd 1',
      'list.trainEnd completed',
    ]);
    await model.dispose();
  });

  it('the non-finite guard runs before the user callbacks: a bad epoch never reaches them', async () => {
    const model = sequential({ inputShape: [4], seed: 1 })
      .dense(6, { activation: 'relu' })
      .dense(1);
    const ended: number[] = [];
    const before = tf.memory().numTensors;
    const error = await model
      .fit(
        x,
        x.map(() => [1e20]),
        { epochs: 3, onEpochEnd: (e) => void ended.push(e) },
      )
      .catch((e) => e);
    expect(isGraftError(error, 'NON_FINITE_LOSS')).toBe(true);
    expect(ended).toEqual([]);
    expect(model.history.loss).toHaveLength(0);
    expect(model.lastFit).toBeNull();
    // what remains is what the model owns: the network's weights (built by this fit); Adam's state is dropped on a
    // non-finite loss (its moments would fail the next fit the same way) and the guard's weight copies are freed
    const weights = model.net.weights.length;
    expect(tf.memory().numTensors - before).toBe(weights);
    await model.dispose();
  });

  it('a callback that throws ends the fit with its error and leaves the history as it was', async () => {
    const model = mlp();
    await model.fit(x, y, { epochs: 1 });
    const error = await model
      .fit(x, y, {
        epochs: 3,
        onEpochEnd: (e) => {
          if (e === 1) throw new Error('from the callback');
        },
      })
      .catch((e) => e);
    expect((error as Error).message).toBe('from the callback');
    expect(model.history.loss).toHaveLength(1);
    await model.dispose();
  });
});
