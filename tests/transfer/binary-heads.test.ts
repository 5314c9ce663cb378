import { type BinaryPrediction, type ClassPrediction, type MultiLabelPrediction, transfer } from '@graftjs/core';
import { binary, classifier, multiLabel, regression } from '@graftjs/heads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { halves } from '../helpers/data';

/** A tiny frozen base over 8x8x1 images: conv then pool, seeded. */
function base(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1] });
  const conv = tfl.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
  });
  const x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(conv.apply(input)) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x });
}

const { x, y } = halves(40);
const names = y.map((c) => (c === 0 ? 'daisy' : 'roses'));

describe('binary heads', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('binary() predicts { label, probability } naming the positive class', async () => {
    const model = transfer(base(), { seed: 1 }).freeze().addHead(binary());
    await model.fit(x, names, { epochs: 60, learningRate: 0.1, seed: 1 }); // seeded shuffle: the same run every time
    expect(model.classNames).toEqual(['daisy', 'roses']);
    expect(model.history.accuracy.at(-1)).toBeGreaterThan(0.9);
    const ps: BinaryPrediction[] = await model.predict(x.slice(0, 4), { batch: true });
    expect(ps.map((p) => p.label)).toEqual(names.slice(0, 4));
    for (const p of ps) {
      expect(p.positive).toBe('roses');
      expect(p.label === 'roses').toBe(p.probability > 0.5);
      expect(p.probabilities[1]).toBeCloseTo(p.probability, 6);
    }
    await model.dispose();
  });

  it('classifier(2) works on two classes', async () => {
    const model = transfer(base(), { seed: 1 }).freeze().addHead(classifier(2));
    await model.fit(x, names); // a linear softmax head: solved, converged (40 weak gradient epochs depended on the shuffle)
    expect(model.lastFit?.solver).toBe('lbfgs');
    const ps: ClassPrediction[] = await model.predict(x.slice(0, 4), { batch: true });
    expect(ps.map((p) => p.label)).toEqual(names.slice(0, 4));
    await model.dispose();
  });

  it('multiLabel(n) names every output; multiLabel(1) on two classes points to binary()', async () => {
    const ml = transfer(base(), { seed: 1 }).freeze().addHead(multiLabel(2));
    const rows = y.map((c) => (c === 0 ? [1, 0] : [0, 1]));
    await ml.fit(x, rows, { classNames: ['daisy', 'roses'] }); // a linear sigmoid head: solved, converged
    expect(ml.lastFit?.solver).toBe('lbfgs');
    const p: MultiLabelPrediction = await ml.predict(x[1], { batch: false });
    expect(p.labels).toEqual([names[1]]);
    // every output is named by its own class: each row's labels are the classes whose probability passes 0.5
    const ps: MultiLabelPrediction[] = await ml.predict(x.slice(0, 8), { batch: true });
    for (const q of ps) expect(q.labels).toEqual(['daisy', 'roses'].filter((_, i) => q.probabilities[i] > 0.5));
    expect(ps.filter((q, i) => q.labels.length === 1 && q.labels[0] === names[i]).length).toBeGreaterThanOrEqual(7);
    const one = transfer(base(), { seed: 1 }).freeze().addHead(multiLabel(1));
    await expect(one.fit(x, names, { epochs: 1 })).rejects.toMatchObject({
      code: 'INCOMPATIBLE_LOSS',
      message: expect.stringContaining('binary()'),
    });
    await ml.dispose();
    await one.dispose();
  });

  it('refuses a one-class softmax, absurd unit counts and string labels on a regression head', async () => {
    const model = transfer(base(), { seed: 1 }).freeze();
    expect(() => model.addHead(1)).toThrow(
      expect.objectContaining({ code: 'INVALID_HEAD', message: expect.stringContaining('binary()') }),
    );
    expect(() => model.addHead(1e9)).toThrow(
      expect.objectContaining({ code: 'INVALID_HEAD', message: expect.stringContaining('at most') }),
    );
    expect(() => multiLabel(1e9)).toThrow(expect.objectContaining({ code: 'INVALID_HEAD' }));
    const reg = model.addHead(regression(1));
    reg.summary(null); // builds the network: its weights are the model's, not a leak
    const tensors = tf.memory().numTensors;
    await expect(reg.fit(x, names, { epochs: 1 })).rejects.toMatchObject({ code: 'INVALID_LABEL' });
    expect(reg.classNames).toBeUndefined();
    expect(tf.memory().numTensors).toBe(tensors);
    await reg.dispose();
  });
});
