/**
 * Builder layers for Keras' "image classification from scratch" (issue 15, item 6): separableConv2d, residual
 * blocks with a projection when the shape changes, useBias and the full initializer set, built, trained a step,
 * saved and loaded. Parameter counts are Keras' formulas, worked out by hand in the comments.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraftError, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof GraftError ? e.code : String(e);
  }
  return 'no error';
};

/** Keras' mini-Xception (keras.io/examples/vision/image_classification_from_scratch), without its Rescaling. */
function miniXception(inputShape: number[]) {
  let m = sequential({ inputShape, seed: 4 })
    .conv2d(128, 3, { strides: 2, padding: 'same' })
    .batchNorm()
    .activation('relu');
  for (const size of [256, 512, 728]) {
    m = m.residual((b) =>
      b
        .activation('relu')
        .separableConv2d(size, 3, { padding: 'same' })
        .batchNorm()
        .activation('relu')
        .separableConv2d(size, 3, { padding: 'same' })
        .batchNorm()
        .maxPool2d(3, { strides: 2, padding: 'same' }),
    );
  }
  return m
    .separableConv2d(1024, 3, { padding: 'same' })
    .batchNorm()
    .activation('relu')
    .globalAvgPool2d()
    .dropout(0.25)
    .dense(1, { activation: 'sigmoid' });
}

describe('residual blocks and separable convolutions', () => {
  const root = mkdtempSync(join(tmpdir(), 'graft-residual-'));
  beforeAll(() => useBackend('cpu'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("Keras' mini-Xception builds with Keras' parameter count, trains a step, saves and loads", async () => {
    const model = miniXception([32, 32, 3]);
    const net = model.net;
    // Conv2D(128, 3) on 3 channels: 3*3*3*128 + 128 = 3584; BatchNorm(c) has 4c (gamma, beta, mean, variance).
    // SeparableConv2D(f, 3) on c channels: 9c depthwise + c*f pointwise + f bias.
    // Block 256 on 128: sep 1152+32768+256 = 34176, BN 1024, sep 2304+65536+256 = 68096, BN 1024,
    //   shortcut Conv2D(256, 1) 128*256+256 = 33024: 137344.
    // Block 512 on 256: 2304+131072+512 = 133888, 2048, 4608+262144+512 = 267264, 2048, 131072+512: 536832.
    // Block 728 on 512: 4608+372736+728 = 378072, 2912, 6552+529984+728 = 537264, 2912, 372736+728: 1294624.
    // SeparableConv2D(1024) on 728: 6552+745472+1024 = 753048; BN 4096; Dense(1) on 1024: 1025.
    // 3584 + 512 + 137344 + 536832 + 1294624 + 753048 + 4096 + 1025 = 2731065.
    expect(net.countParams()).toBe(2731065);
    expect(net.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(3);
    const shortcuts = net.layers.filter((l) => l.getClassName() === 'Conv2D' && l.outputShape[3] !== 128);
    expect(shortcuts.map((l) => (l.getConfig() as { strides: number[] }).strides)).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 1);
    const before = net.getWeights().map((w) => w.dataSync().slice());
    await model.fit(x, [0, 1, 0, 1], { epochs: 1, batchSize: 4, learningRate: 1e-3 });
    expect(Number.isFinite(model.history.loss[0])).toBe(true);
    const after = net.getWeights().map((w) => w.dataSync());
    expect(after.some((w, i) => w.some((v, j) => v !== before[i][j]))).toBe(true);
    const dir = join(root, 'xception');
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.net.countParams()).toBe(2731065);
    expect(await loaded.predict(x)).toEqual(await model.predict(x));
    await loaded.dispose();
    await model.dispose();
    x.dispose();
  }, 120_000);

  it('an identity shortcut adds the input: y = block(x) + x', async () => {
    const model = sequential({ inputShape: [3], seed: 1 }).residual((b) => b.dense(3, { useBias: false }));
    const net = model.net;
    const [kernel] = net.getWeights();
    expect(net.countParams()).toBe(9); // no bias, no projection
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 4],
    ]);
    const want = tf.add(tf.matMul(x, kernel), x);
    const got = net.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-6);
    await model.dispose();
  });

  it('useBias, every tfjs initializer name, and coded errors for bad blocks without leaks', async () => {
    const noBias = sequential({ inputShape: [4, 4, 2] })
      .conv2d(3, 3, { useBias: false }) // 3*3*2*3 = 54, out 2x2x3
      .separableConv2d(5, 1, { useBias: false }) // depthwise 1*1*3 + pointwise 3*5 = 18, out 2x2x5
      .flatten()
      .dense(2, { useBias: false }); // 20*2 = 40
    expect(noBias.net.countParams()).toBe(54 + 18 + 40);
    await noBias.dispose();
    for (const init of ['varianceScaling', 'heNormal', 'heUniform', 'leCunNormal', 'truncatedNormal', 'identity']) {
      const m = sequential({ inputShape: [4] }).dense(4, { kernelInitializer: init as 'zeros' });
      expect(m.net.countParams()).toBe(20);
      await m.dispose();
    }
    for (const bad of ['he', 'constant', 'orthogonal'])
      expect(code(() => sequential({ inputShape: [4] }).dense(4, { kernelInitializer: bad as 'zeros' }))).toBe(
        'INVALID_LAYER',
      );
    expect(code(() => sequential({ inputShape: [4] }).residual((b) => b))).toBe('INVALID_LAYER');
    expect(code(() => sequential({ inputShape: [4] }).residual(() => sequential({ inputShape: [4] })))).toBe(
      'INVALID_LAYER',
    );
    const before = tf.memory().numTensors;
    // an image in, a vector out: no shortcut can project one onto the other; refused, nothing left behind
    const bad = sequential({ inputShape: [5, 5, 2] }).residual((b) => b.conv2d(4, 3).flatten());
    expect(code(() => bad.net)).toBe('INVALID_LAYER');
    expect(tf.memory().numTensors).toBe(before);
  });
});
