import { backends, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

// graft's choice (docs/getting-started.md, "Tensors graft returns"): tensors are plain tfjs-core tensors
// with functional ops only. tfjs' chained-op registration cannot load in plain Node and pulls every op into a
// bundle, so graft registers none; this test fails if some import starts registering them.
describe('tensors graft returns', () => {
  beforeAll(async () => {
    await backends.use('cpu');
  });

  it('are tfjs-core tensors that take functional ops, without chained methods', async () => {
    const before = tf.memory().numTensors;
    const model = sequential({ inputShape: [2], seed: 1 }).dense(3, { activation: 'softmax' });
    const input = tf.tensor2d([
      [1, 2],
      [3, -1],
    ]);
    const out = await model.predictTensor(input);
    expect(out).toBeInstanceOf(tf.Tensor);
    expect(out.shape).toEqual([2, 3]);
    expect('argMax' in out).toBe(false);
    expect('square' in out).toBe(false);
    const index = tf.argMax(out, -1);
    const rows = (await out.array()) as number[][];
    expect(await index.array()).toEqual(rows.map((r) => r.indexOf(Math.max(...r))));
    tf.dispose([input, out, index]);
    await model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
