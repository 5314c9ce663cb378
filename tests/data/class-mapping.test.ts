import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, Dataset, fromDirectory, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { weightsOf } from '../helpers/data';
import { solidPng } from '../helpers/png';

// one-hot samples: sample of class k is e_k, so a network with kernel 10*I is right on every sample
const eye = (k: number) => [0, 1, 2].map((i) => (i === k ? 1 : 0));
const X = [0, 1, 2, 0, 1, 2].map(eye);
const NAMES = ['ant', 'bee', 'cat'];

/** A 3-class softmax model that already knows ant, bee, cat (a first fit gave it the names). */
async function trained() {
  const model = sequential({ inputShape: [3], seed: 1 }).dense(3, { activation: 'softmax' });
  await model.fit(
    X,
    [0, 1, 2, 0, 1, 2].map((k) => NAMES[k]),
    { epochs: 1, learningRate: 1e-6 },
  );
  model.net.layers[0].setWeights([tf.mul(tf.eye(3), 10), tf.zeros([3])]);
  return model;
}

describe('class names belong to the model', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('a test set lacking a class, or naming them in another order, scores right', async () => {
    const model = await trained();
    expect(model.classNames).toEqual(NAMES);
    // names sorted from what it holds: bee is index 0 here, index 1 in the model
    const lacking = Dataset.from([eye(1), eye(2)], ['bee', 'cat']);
    expect((await model.evaluate(lacking)).accuracy).toBe(1);
    const reordered = Dataset.from(X, [2, 1, 0, 2, 1, 0], { classNames: ['cat', 'bee', 'ant'] });
    expect((await model.evaluate(reordered)).accuracy).toBe(1);
    // one-hot rows move their columns too
    const oneHot = Dataset.from(
      X,
      [0, 1, 2, 0, 1, 2].map((k) => eye(2 - k)),
      { classNames: ['cat', 'bee', 'ant'] },
    );
    const r = await model.compile({ loss: 'categoricalCrossentropy' }).evaluate(oneHot);
    expect(r.accuracy).toBe(1);
    lacking.dispose();
    reordered.dispose();
    oneHot.dispose();
    await model.dispose();
  });

  it('a label the model does not know is UNKNOWN_CLASS, in fit and evaluate, and nothing changes', async () => {
    const model = await trained();
    const before = await weightsOf(model.net);
    const history = JSON.stringify(model.history);
    const strange = Dataset.from([eye(0), eye(1)], ['ant', 'wasp']);
    const tensors = tf.memory().numTensors;
    await expect(model.evaluate(strange)).rejects.toMatchObject({ code: 'UNKNOWN_CLASS' });
    await expect(model.fit(strange, { epochs: 1 })).rejects.toMatchObject({
      code: 'UNKNOWN_CLASS',
      message: expect.stringContaining('"wasp"'),
    });
    await expect(model.fit([eye(0)], ['wasp'], { epochs: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_CLASS' });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await weightsOf(model.net)).toEqual(before);
    expect(model.classNames).toEqual(NAMES);
    expect(JSON.stringify(model.history)).toBe(history);
    strange.dispose();
    await model.dispose();
  });

  it('a second fit with another label order keeps the model classes', async () => {
    const model = await trained();
    const reversed = Dataset.from(X, [2, 1, 0, 2, 1, 0], { classNames: ['cat', 'bee', 'ant'] });
    await model.fit(reversed, { epochs: 1, learningRate: 1e-3 });
    // mapped by name the labels agree with the network: the loss stays near zero (mis-mapped it would be ~10)
    expect(model.history.loss.at(-1)).toBeLessThan(0.01);
    expect(model.classNames).toEqual(NAMES);
    const p = (await model.predict(eye(2))) as ClassPrediction;
    expect(p.label).toBe('cat');
    // integer labels with classNames given to fit keep their meaning too
    await model.fit(X, [1, 0, 2, 1, 0, 2], { classNames: ['bee', 'ant', 'cat'], epochs: 1, learningRate: 1e-3 });
    expect(model.history.loss.at(-1)).toBeLessThan(0.01);
    // validation data is mapped as well
    await model.fit(X, [0, 1, 2, 0, 1, 2], {
      epochs: 1,
      learningRate: 1e-3,
      validationData: reversed,
    });
    expect(model.history.valAccuracy.at(-1)).toBe(1);
    reversed.dispose();
    await model.dispose();
  });
});

describe('a first fit with classNames', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('names every class, also those its Dataset lacks, in the given order', async () => {
    const model = sequential({ inputShape: [3], seed: 1 }).dense(3, { activation: 'softmax' });
    const partial = Dataset.from([eye(1), eye(2)], ['bee', 'cat']);
    await model.fit(partial, { classNames: NAMES, epochs: 1, learningRate: 1e-6 });
    expect(model.classNames).toEqual(NAMES);
    // bee was index 0 in the Dataset and is index 1 of the model: the labels trained were 1 and 2
    model.net.layers[0].setWeights([tf.mul(tf.eye(3), 10), tf.zeros([3])]);
    expect((await model.evaluate(partial)).accuracy).toBe(1);
    const ant = Dataset.from([eye(0)], ['ant']);
    expect((await model.evaluate(ant)).accuracy).toBe(1);
    partial.dispose();
    ant.dispose();
    await model.dispose();
  });
});

describe('fromDirectory({ classNames })', () => {
  let dir = '';
  beforeAll(async () => {
    await useBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'graft-classes-'));
    const colours: Record<string, [number, number, number]> = { bee: [250, 200, 0], cat: [90, 90, 90] };
    for (const [name, rgb] of Object.entries(colours)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'one.png'), solidPng(4, 4, rgb));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pins the class order; a listed class without a folder has no images', async () => {
    const data = await fromDirectory(dir, { size: [4, 4], classNames: ['cat', 'ant', 'bee'] });
    expect(data.classNames).toEqual(['cat', 'ant', 'bee']);
    expect(await data.classIndices()).toEqual([0, 2]);
    const pixels = await data.x.data();
    expect(pixels[0]).toBe(90); // the cat image comes first: its class is first
    data.dispose();
  });

  it('refuses a folder not among classNames', async () => {
    const tensors = tf.memory().numTensors;
    await expect(fromDirectory(dir, { size: [4, 4], classNames: ['cat', 'ant'] })).rejects.toMatchObject({
      code: 'UNKNOWN_CLASS',
      message: expect.stringContaining('"bee"'),
    });
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
