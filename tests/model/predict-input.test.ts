/** How predict tells one sample from a batch, at run time as the overloads say at compile time. */
import { dataset, sequential, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { blobs } from '../helpers/data';

describe('predict: one sample or a batch', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('numeric input: a Dataset and { batch: true } give arrays, a sample and { batch: false } one prediction', async () => {
    const { x, y } = blobs(12);
    const model = sequential({ inputShape: [4], seed: 1 }).dense(3, { activation: 'softmax' });
    const data = dataset(x, y);
    expect(model.net.weights).toHaveLength(2); // built first: its weights are the model's
    const before = tf.memory().numTensors;
    const fromData = await model.predict(data);
    expect(fromData).toHaveLength(12);
    const batch = await model.predict(x, { batch: true });
    expect(batch).toHaveLength(12);
    expect(batch).toEqual(fromData);
    const one = await model.predict(x[3], { batch: false });
    expect(Array.isArray(one)).toBe(false);
    expect(one).toEqual(batch[3]);
    // without the option the rank decides: the same answers
    expect(await model.predict(x[3])).toEqual(one);
    expect(await model.predict(x)).toEqual(batch);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
    await model.dispose();
  });

  it('image models: one image in, one prediction; an array of images, an array', async () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    const out = tfl.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as tfl.SymbolicTensor;
    const model = transfer(tfl.model({ inputs: input, outputs: out }), { preprocessing: { size: [8, 8] } })
      .freeze()
      .addHead(2);
    // decoded RGB pixels of any size are resized to the backbone's
    const image = (v: number) => ({ data: new Uint8Array(10 * 6 * 3).fill(v), width: 10, height: 6 });
    const one = await model.predict(image(200));
    expect(Array.isArray(one)).toBe(false);
    expect(one.probabilities).toHaveLength(2);
    const many = await model.predict([image(200), image(10)]);
    expect(many).toHaveLength(2);
    expect(many[0].probabilities).toEqual(one.probabilities);
    await model.dispose();
  });
});
