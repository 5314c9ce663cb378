/**
 * Learning-rate schedules inside the one fit pipeline: fastai's one-cycle policy per step, Keras'
 * ReduceLROnPlateau per epoch, both through the fit's control (Keras `model.optimizer.learning_rate`); the rate
 * shows in progress events, lastFit and summary(), and a schedule's changes end with its fit.
 */
import { callbacks, Dataset, type FitSummary, type ProgressEvent, sequential, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs, halves } from '../helpers/data';

const mlp = () =>
  sequential({ inputShape: [4], seed: 1 })
    .dense(8, { activation: 'relu' })
    .dense(3, { activation: 'softmax' });

function fitRates(events: ProgressEvent[]): number[] {
  return events.filter((e) => e.phase === 'fit').map((e) => e.learningRate as number);
}

function smallBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1] });
  let x = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      name: 'c1',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'bn1' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu', name: 'r1' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'small' });
}

describe('learning-rate schedules', () => {
  const { x, y } = blobs(48);
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it("oneCycle follows fastai's curve per step: maxLr/div, up to maxLr at pctStart, down to maxLr/divFinal", async () => {
    const cycle = callbacks.oneCycle({ maxLr: 0.01 });
    const model = mlp();
    const events: ProgressEvent[] = [];
    await model.fit(x, y, { epochs: 4, batchSize: 8, seed: 1, callbacks: [cycle], onProgress: (e) => events.push(e) });
    const rates = fitRates(events);
    expect(rates).toHaveLength(24); // 6 batches x 4 epochs, one rate per step taken
    expect(rates[0]).toBeCloseTo(0.01 / 25, 10);
    const peak = rates.indexOf(Math.max(...rates));
    expect(peak).toBe(6); // 25% of 24 steps
    expect(rates[peak]).toBeCloseTo(0.01, 10);
    for (let i = 1; i <= peak; i++) expect(rates[i]).toBeGreaterThan(rates[i - 1]);
    for (let i = peak + 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]);
    expect(cycle.rateAt(1)).toBeCloseTo(0.01 / 1e5, 12);
    // lastFit: the rate the fit was asked for (the default here) and where the schedule left it
    expect(model.lastFit?.learningRate).toBe(0.001);
    expect(model.lastFit?.finalLearningRate).toBeCloseTo(rates[23], 12);
    // the schedule's changes end with its fit: the next fit at the same rate gets that rate
    const after: ProgressEvent[] = [];
    await model.fit(x, y, { epochs: 1, batchSize: 8, onProgress: (e) => after.push(e) });
    expect(new Set(fitRates(after))).toEqual(new Set([0.001]));
    expect(model.lastFit?.finalLearningRate).toBe(0.001);
    expect(() => callbacks.oneCycle({ pctStart: 1 })).toThrow(/INVALID_OPTION.*pctStart/);
    expect(() => callbacks.oneCycle({ div: 0 })).toThrow(/INVALID_OPTION.*div/);
    await model.dispose();
  });

  it("reduceLROnPlateau: Keras' patience, factor, cooldown and minLr on a plateaued loss", async () => {
    const plateau = callbacks.reduceLROnPlateau({
      monitor: 'loss',
      factor: 0.5,
      patience: 1,
      cooldown: 2,
      minLr: 4e-7,
    });
    const model = mlp();
    const events: ProgressEvent[] = [];
    // a rate too small to move the loss by minDelta (1e-4): every epoch after the first is a plateau
    await model.fit(x, y, {
      epochs: 5,
      batchSize: 16,
      learningRate: 1e-6,
      callbacks: [plateau],
      onProgress: (e) => events.push(e),
    });
    // epoch 0 sets the best; 1 drops (cooldown 2); 2 cools down; 3 ends the cooldown and, as in Keras, counts
    // (patience 1) and drops again, clamped at minLr
    expect(plateau.reductions.map((r) => r.epoch)).toEqual([1, 3]);
    expect(plateau.reductions[0].learningRate).toBeCloseTo(5e-7, 15);
    expect(plateau.reductions[1].learningRate).toBeCloseTo(4e-7, 15);
    const perEpoch = [0, 1, 2, 3, 4].map(
      (e) => events.filter((v) => v.epoch === e && v.phase === 'fit')[0].learningRate,
    );
    expect(perEpoch[0]).toBe(1e-6);
    expect(perEpoch[1]).toBe(1e-6);
    expect(perEpoch[2]).toBeCloseTo(5e-7, 15);
    expect(perEpoch[3]).toBeCloseTo(5e-7, 15);
    expect(perEpoch[4]).toBeCloseTo(4e-7, 15);
    expect(model.lastFit?.learningRate).toBe(1e-6);
    expect(model.lastFit?.finalLearningRate).toBeCloseTo(4e-7, 15);
    await model.dispose();
  });

  it('reduceLROnPlateau refuses valLoss without validation data before any step, and bad settings', async () => {
    const model = mlp();
    await model.fit(x, y, { epochs: 1, batchSize: 16 });
    const before = model.net.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(model.fit(x, y, { callbacks: [callbacks.reduceLROnPlateau()] })).rejects.toThrow(
      /INVALID_OPTION.*"valLoss".*validationSplit/,
    );
    expect(model.net.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    await model.fit(x, y, { validationSplit: 0.25, callbacks: [callbacks.reduceLROnPlateau({ patience: 0 })] });
    expect(() => callbacks.reduceLROnPlateau({ factor: 1 })).toThrow(/INVALID_OPTION.*factor in \(0, 1\)/);
    expect(() => callbacks.reduceLROnPlateau({ patience: -1 })).toThrow(/INVALID_OPTION.*patience/);
    await model.dispose();
  });

  it('the rate after unfreeze shows in summary(), the progress events and lastFit', async () => {
    const { x: ix, y: iy } = halves(16);
    const model = transfer(smallBase(), { seed: 1 }).freeze().addHead(2);
    expect(model.summary(null)).toMatch(/Learning rate of the next fit: 0\.001 \(the Keras default for adam\)/);
    model.unfreeze();
    expect(model.summary(null)).toMatch(
      /Learning rate of the next fit: 0\.00001 \(the fine-tuning default after unfreeze\)/,
    );
    const events: ProgressEvent[] = [];
    await model.fit(ix, iy, { epochs: 1, batchSize: 8, onProgress: (e) => events.push(e) });
    expect(new Set(fitRates(events))).toEqual(new Set([1e-5]));
    expect(model.lastFit?.learningRate).toBe(1e-5);
    expect(model.summary(null)).toMatch(/Learning rate of the next fit: 0\.001 /);
    await model.dispose();
  });

  it('fineTune with no options: the default head training (solved), then one epoch of the base at 1e-5', async () => {
    const { x: ix, y: iy } = halves(32);
    const model = transfer(smallBase(), { seed: 1 }).addHead(2);
    const data = Dataset.from(ix, iy);
    const seen: (FitSummary | null)[] = [];
    const realFit = model.fit.bind(model);
    vi.spyOn(model, 'fit').mockImplementation(async (...args) => {
      await realFit(...args);
      seen.push(model.lastFit);
      return model;
    });
    await model.fineTune(data, { seed: 1 });
    expect(seen.map((s) => s?.solver)).toEqual(['lbfgs', 'gradient']);
    expect(seen[1]?.epochs).toBe(1);
    expect(seen[1]?.learningRate).toBe(1e-5);
    expect(model.usesFeatureCache).toBe(false); // the base stays open, as after fastai's fine_tune
    data.dispose();
    await model.dispose();
  });

  it("fineTune runs fastai's one-cycle in both phases: head warm-up to its peak, then 1/200 of it", async () => {
    const { x: ix, y: iy } = halves(32);
    const base = smallBase();
    const before = tf.memory().numTensors;
    const model = transfer(base, { seed: 1 }).addHead(2);
    const data = Dataset.from(ix, iy);
    const events: ProgressEvent[] = [];
    let userEnds = 0;
    await model.fineTune(data, {
      headEpochs: 2,
      epochs: 2,
      batchSize: 8,
      seed: 1,
      onProgress: (e) => events.push(e),
      callbacks: [{ onTrainEnd: () => void userEnds++ }],
    });
    expect(userEnds).toBe(2); // the user's callbacks run beside the schedule in both phases
    const rates = fitRates(events);
    expect(rates).toHaveLength(16);
    const head = rates.slice(0, 8);
    const tuned = rates.slice(8);
    expect(head[0]).toBeCloseTo(2e-3 / 25, 10); // fastai's base_lr 2e-3, div 25
    for (let i = 1; i < 8; i++) expect(head[i]).toBeGreaterThan(head[i - 1]); // pctStart 0.99: all warm-up
    expect(tuned[0]).toBeCloseTo(1e-5 / 5, 12); // fastai's earliest-layer rate, 2e-3 / 200; div 5
    expect(Math.max(...tuned)).toBeLessThanOrEqual(1e-5 + 1e-15);
    expect(tuned[7]).toBeLessThan(tuned[3]);
    expect(model.lastFit?.learningRate).toBe(1e-5);
    expect(model.history.loss).toHaveLength(4);
    const constant: ProgressEvent[] = [];
    await model.fineTune(data, {
      batchSize: 8,
      schedule: 'constant',
      learningRate: 0.01,
      onProgress: (e) => constant.push(e),
    });
    expect(new Set(fitRates(constant))).toEqual(new Set([0.01, 0.01 / 200]));
    await expect(model.fineTune(data, { schedule: 'cosine' as never })).rejects.toThrow(/INVALID_OPTION.*schedule/);
    data.dispose();
    await model.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
