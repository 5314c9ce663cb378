import { transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';
import { halves } from '../helpers/data';

function baseWithBatchNorm(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1] });
  let x = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      name: 'conv',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'bn', momentum: 0.5 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu', name: 'relu' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'bn_base' });
}

async function movingStats(m: tfl.LayersModel): Promise<number[]> {
  const bn = m.getLayer('bn');
  const out: number[] = [];
  for (const w of bn.getWeights().slice(2)) out.push(...((await w.data()) as Float32Array));
  return out;
}

describe.each(TRAINING_BACKENDS)('Keras freezing semantics on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('plain tfjs-layers updates a frozen BatchNormalization layer; graft does not', async () => {
    const { x, y } = halves(32);
    const xs = tf.tensor4d(x.flat(3), [32, 8, 8, 1]);
    const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 2);

    // plain tfjs-layers: base.trainable = false, then model.fit
    const plainBase = baseWithBatchNorm();
    for (const l of plainBase.layers) l.trainable = false;
    const head = tfl.layers
      .dense({ units: 2, activation: 'softmax' })
      .apply(tfl.layers.globalAveragePooling2d({}).apply(plainBase.outputs[0])) as tfl.SymbolicTensor;
    const plain = tfl.model({ inputs: plainBase.inputs, outputs: head });
    plain.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const plainBefore = await movingStats(plainBase);
    await plain.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 });
    const plainAfter = await movingStats(plainBase);
    expect(plainAfter).not.toEqual(plainBefore);

    // graft: the same frozen base keeps its moving statistics and runs BN in inference mode
    const base = baseWithBatchNorm();
    const statsBefore = await movingStats(base);
    const convBefore = Array.from((await base.getLayer('conv').getWeights()[0].data()) as Float32Array);
    const model = transfer(base, { seed: 1 }).freeze().addHead(2);
    await model.fit(x, y, { epochs: 2, batchSize: 8, featureCache: false, seed: 1 });
    expect(await movingStats(base)).toEqual(statsBefore);
    expect(Array.from((await base.getLayer('conv').getWeights()[0].data()) as Float32Array)).toEqual(convBefore);
    expect(model.history.loss).toHaveLength(2);

    // and inference-mode BN means a training-mode forward equals the inference forward through the base
    const a = tf.tidy(() => model.net.apply(xs, { training: true }) as tf.Tensor);
    const b = tf.tidy(() => model.net.apply(xs, { training: false }) as tf.Tensor);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b)))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([a, b, xs, ys]);
    plain.dispose();
    await model.dispose();
  });

  it('unfreeze trains gamma/beta with BatchNorm in inference mode (Keras); batchNorm "train" updates the moving stats', async () => {
    const { x, y } = halves(16);
    const base = baseWithBatchNorm();
    const before = await movingStats(base);
    const gammaBeta = async () =>
      base
        .getLayer('bn')
        .getWeights()
        .slice(0, 2)
        .flatMap((w) => Array.from(w.dataSync()));
    const gammaBefore = await gammaBeta();
    const model = transfer(base, { seed: 1 }).freeze().addHead(2);
    model.unfreeze();
    expect(base.getLayer('conv').trainable).toBe(true);
    expect(base.getLayer('bn').trainable).toBe(true);
    await model.fit(x, y, { epochs: 2, batchSize: 8, learningRate: 0.05, seed: 1 });
    expect(await movingStats(base)).toEqual(before);
    expect(await gammaBeta()).not.toEqual(gammaBefore);
    // still inference mode: a training-mode forward is the inference forward
    const xs = tf.tensor4d(x.flat(3), [16, 8, 8, 1]);
    const gap = tf.tidy(() => {
      const a = model.net.apply(xs, { training: true }) as tf.Tensor;
      const b = model.net.apply(xs, { training: false }) as tf.Tensor;
      return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    });
    expect(gap).toBeLessThan(1e-6);
    xs.dispose();

    model.unfreeze({ batchNorm: 'train' });
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    const trained = await movingStats(base);
    expect(trained).not.toEqual(before);
    // `true` is the deprecated alias of 'train'; an unknown mode changes nothing
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    model.freeze().unfreeze({ batchNorm: true });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/batchNorm: true.*deprecated.*'train'/));
    warn.mockRestore();
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    expect(await movingStats(base)).not.toEqual(trained);
    model.freeze();
    expect(() => model.unfreeze({ batchNorm: 'yes' as never })).toThrow(/INVALID_OPTION.*"inference" or "train"/);
    expect(base.getLayer('conv').trainable).toBe(false);
    await model.dispose();
  });
});
