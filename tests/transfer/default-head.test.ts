/**
 * The no-options head fit (issue 13, item 1): a linear head on cached features is solved (L-BFGS with a
 * cross-validated weight decay), any other head trains with early stopping on held-out data, explicit epochs or
 * a learning rate train as asked (Keras), and a model that trains whole keeps Keras' one epoch. Small bases on
 * blob data, so every case runs in a second or two.
 */
import { createRng, Dataset, sequential, transfer } from '@graftjs/core';
import { classifier, multiLabel } from '@graftjs/heads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEIGHT_DECAY_GRID } from '../../packages/core/src/solvers/solve-linear-head';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';

/** Four overlapping classes in 6-D: a head can reach about 90%, not 100%, so the solve has something to choose. */
function blobs4(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    x.push(Array.from({ length: 6 }, (_, j) => (j % 4 === c ? 1.5 : 0) + (rng.next() - 0.5) * 2.4));
    y.push(c);
  }
  return Dataset.from(x, y);
}

/** A frozen random base: 6 -> 16 (tanh), seeded. */
function base(): tfl.LayersModel {
  const input = tfl.input({ shape: [6] });
  const out = tfl.layers
    .dense({ units: 16, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })
    .apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

describe.each(TRAINING_BACKENDS)('the no-options head fit on %s', (backend) => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => {
    await useBackend(backend);
    train = blobs4(240, 1);
    test = blobs4(200, 2);
  });

  it('solves a linear head: lastFit says lbfgs and the decay chosen; one record; no leaks', async () => {
    const model = transfer(base()).freeze().addHead(4);
    const epochs: number[] = [];
    let batches = 0;
    const before = tf.memory().numTensors;
    await model.fit(train, {
      onEpochEnd: (e) => void epochs.push(e),
      callbacks: [{ onBatchEnd: () => void batches++ }],
    });
    const fit = model.lastFit;
    expect(fit?.solver).toBe('lbfgs');
    expect(fit?.reason).toMatch(/linear head/);
    expect(WEIGHT_DECAY_GRID).toContain(fit?.weightDecay);
    expect(fit?.iterations).toBeGreaterThan(0);
    expect(fit?.epochs).toBe(1);
    expect(epochs).toEqual([0]);
    expect(batches).toBe(0);
    // the record is the solution's own loss and accuracy on the training data
    const own = await model.evaluate(train);
    expect(fit?.history.loss[0]).toBeCloseTo(own.loss, 4);
    expect(fit?.history.accuracy[0]).toBeCloseTo(own.accuracy, 4);
    // what the model owns afterwards: head kernel + bias, the cached features, Adam's two beta powers (the slot
    // holds the optimizer a later fit continues with)
    expect(tf.memory().numTensors).toBe(before + 2 + 1 + 2);
    const { accuracy } = await model.evaluate(test);
    expect(accuracy).toBeGreaterThan(0.8);
    await model.dispose();
  });

  it('classWeight is never dropped by the solve: the weighted loss trains by gradient with early stopping', async () => {
    const model = transfer(base()).freeze().addHead(4);
    await model.fit(train, { classWeight: { 0: 3, 1: 1, 2: 1, 3: 1 } });
    expect(model.lastFit?.solver).toBe('gradient');
    expect(model.lastFit?.reason).toMatch(/classWeight/);
    expect(model.lastFit?.epochs).toBeGreaterThan(1);
    model.dispose();
  });

  it('the solve reaches at least what a tuned gradient probe reaches', async () => {
    const solved = transfer(base()).freeze().addHead(4);
    await solved.fit(train);
    const tuned = transfer(base(), { seed: 1 }).freeze().addHead(4);
    await tuned.fit(train, { epochs: 60, learningRate: 0.01, seed: 1 });
    const a = (await solved.evaluate(test)).accuracy;
    const b = (await tuned.evaluate(test)).accuracy;
    expect(tuned.lastFit?.solver).toBe('gradient');
    expect(a).toBeGreaterThanOrEqual(b - 0.02);
    await solved.dispose();
    await tuned.dispose();
  });

  it('records validation values for a solve with validationSplit', async () => {
    const model = transfer(base()).freeze().addHead(4);
    await model.fit(train, { validationSplit: 0.25, seed: 2 });
    expect(model.lastFit?.solver).toBe('lbfgs');
    expect(Object.keys(model.lastFit?.history ?? {}).sort()).toEqual(['accuracy', 'loss', 'valAccuracy', 'valLoss']);
    await model.dispose();
  });

  it('solves a sigmoid (multi-label) head', async () => {
    const y = (await train.classIndices()).map((c) => [c === 0 ? 1 : 0, c === 1 || c === 2 ? 1 : 0]);
    const data = Dataset.from(train.x as tf.Tensor2D, tf.tensor2d(y));
    const model = transfer(base()).freeze().addHead(multiLabel(2));
    await model.fit(data);
    expect(model.lastFit?.solver).toBe('lbfgs');
    expect(model.lastFit?.history.loss[0]).toBeLessThan(0.45);
    data.dispose();
    await model.dispose();
  });

  it('solves a linear (logits) head trained with a from-logits cross-entropy', async () => {
    const logits = {
      kind: 'classifier',
      units: 4,
      activation: 'linear' as const,
      task: 'classification' as const,
      loss: 'sparseCategoricalCrossentropy' as const,
      metrics: ['accuracy' as const],
    };
    const model = transfer(base()).freeze().addHead(logits);
    await model.fit(train);
    expect(model.lastFit?.solver).toBe('lbfgs');
    expect((await model.evaluate(test)).accuracy).toBeGreaterThan(0.8);
    await model.dispose();
  });

  it('explicit epochs or learningRate train as asked', async () => {
    const model = transfer(base(), { seed: 1 }).freeze().addHead(4);
    await model.fit(train, { epochs: 3, seed: 1 });
    expect(model.lastFit).toMatchObject({ solver: 'gradient', epochs: 3 });
    await model.fit(train, { learningRate: 0.01 });
    expect(model.lastFit).toMatchObject({ solver: 'gradient', epochs: 1 });
    await model.dispose();
  });

  it('a head with hidden layers trains with early stopping on a held-out part, keeping the best weights', async () => {
    const model = transfer(base(), { seed: 4 })
      .freeze()
      .addHead(classifier(4, { hidden: [8] }));
    await model.fit(train, { seed: 4 });
    const fit = model.lastFit;
    expect(fit?.solver).toBe('gradient');
    expect(fit?.reason).toMatch(/not one Dense layer/);
    expect(fit?.history.valLoss?.length).toBe(fit?.epochs);
    expect(fit?.epochs).toBeGreaterThan(1);
    expect(fit?.epochs).toBeLessThanOrEqual(200);
    expect((await model.evaluate(test)).accuracy).toBeGreaterThan(0.75);
    await model.dispose();
  });

  it('with too few samples to hold any out, an unsolvable head stops on its training loss', async () => {
    const tiny = blobs4(8, 3);
    const model = transfer(base(), { seed: 4 })
      .freeze()
      .addHead(classifier(4, { hidden: [8] }));
    await model.fit(tiny, { seed: 4 });
    expect(model.lastFit?.reason).toMatch(/too few samples to hold out/);
    expect(model.lastFit?.history.valLoss).toBeUndefined();
    expect(model.lastFit?.epochs).toBeGreaterThan(1);
    tiny.dispose();
    await model.dispose();
  });

  it('a model that trains whole keeps Keras one epoch', async () => {
    const model = sequential({ inputShape: [6], seed: 1 }).dense(4, { activation: 'softmax' });
    await model.fit(train);
    expect(model.lastFit).toMatchObject({ solver: 'gradient', epochs: 1 });
    expect(model.lastFit?.reason).toMatch(/one epoch, as Keras/);
    await model.dispose();
  });

  it('an aborted solve changes nothing', async () => {
    const model = transfer(base(), { seed: 1 }).freeze().addHead(4);
    const w0 = model.net.getWeights().map((w) => Array.from(w.dataSync()));
    const stop = new AbortController();
    stop.abort();
    await model.fit(train, { signal: stop.signal });
    expect(model.lastFit?.stoppedBy).toBe('aborted');
    expect(model.net.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(w0);
    await model.dispose();
  });
});
