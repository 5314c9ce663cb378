/**
 * `transfer(base).augment({...})` (issue 15, item 1): with a frozen base the features of K augmented views are
 * computed once (1 + K feature passes, counted by a layer in the base), the head trains on clean and augmented rows
 * with the labels repeated, validation rows stay clean; seeded; bad options refused; nothing leaks.
 */
import { Callback, dataset, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { codeOf, ramp } from './helpers';

let calls = 0;
/** Passes its input on and counts the batches it sees: one call per feature pass over a batch. */
class CountCalls extends tfl.layers.Layer {
  static className = 'TestCountCalls';
  call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
    calls++;
    return tf.clone(Array.isArray(x) ? x[0] : x);
  }
}
tf.serialization.registerClass(CountCalls);

function countingBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3] });
  const conv = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })
    .apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: new CountCalls({}).apply(conv) as tfl.SymbolicTensor });
}

/** The pixels themselves as features (4x4x1 flattened), so the head's training rows are known exactly. */
function pixelBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [4, 4, 1] });
  return tfl.model({ inputs: input, outputs: tfl.layers.flatten().apply(input) as tfl.SymbolicTensor });
}

class Samples extends Callback {
  seen: number[] = [];
  async onTrainBegin() {
    this.seen.push(this.params?.samples ?? -1);
  }
}

const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 2);

describe('transfer(base).augment', () => {
  beforeAll(() => useBackend('cpu'));

  it('computes 1 + K feature passes once, trains the head on (1 + K) x n rows, and leaves validation clean', async () => {
    const base = countingBase();
    const x = ramp(40, 8, 8, 3);
    const val = ramp(10, 8, 8, 3);
    const model = transfer(base).freeze().augment({ flip: 'horizontal', rotation: 0.1, views: 3 }).addHead(2);
    const samples = new Samples();
    // Datasets: the cache keeps features per input tensor, so a second fit on the same ones reuses them
    const train = dataset(x, labels(40));
    const held = dataset(val, labels(10));
    calls = 0;
    await model.fit(train, { seed: 1, validationData: held, callbacks: [samples] });
    // 40 images in 2 feature batches, each clean + 3 views; the 10 validation images once, clean
    expect(calls).toBe(2 * (1 + 3) + 1);
    expect(samples.seen).toEqual([160]);
    expect(model.lastFit?.solver).toBe('lbfgs');
    // the same seed again: every feature is cached
    calls = 0;
    await model.fit(train, { seed: 1, validationData: held });
    expect(calls).toBe(0);
    // predict and evaluate do not augment: one pass per batch
    await model.predict(x);
    expect(calls).toBe(2);
    // another augmentation frees the old views and computes its own
    calls = 0;
    await model.augment({ brightness: 0.2, views: 1 }).fit(train, { seed: 1 });
    expect(calls).toBe(2 * 2);
    model.dispose();
    base.dispose();
  });

  it('the solved head equals the head solved on the clean and rotated rows by hand, labels repeated', async () => {
    const x = tf.div(ramp(12, 4, 4), 255);
    const y = labels(12);
    const base = pixelBase();
    const a = transfer(base)
      .freeze()
      .augment({ rotation: [0.25, 0.25], views: 1 })
      .addHead(2);
    await a.fit(x, y, { seed: 3 });
    const rotated = tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1);
    const b = transfer(base).freeze().addHead(2);
    await b.fit(tf.concat([x, rotated]), [...y, ...y], { seed: 3 });
    const ka = a.net.trainableWeights[0].read().dataSync();
    const kb = b.net.trainableWeights[0].read().dataSync();
    expect(Array.from(ka).every((v, i) => Math.abs(v - kb[i]) < 1e-4)).toBe(true);
  });

  it('same seed, same head; another augment seed, another; the fit seed serves when augment has none', async () => {
    const base = countingBase();
    const x = ramp(16, 8, 8, 3);
    const head = async (aug: object, seed: number) => {
      const m = transfer(base).freeze().augment(aug).addHead(2);
      await m.fit(x, labels(16), { seed });
      const w = Array.from(m.net.trainableWeights[0].read().dataSync());
      m.dispose();
      return w;
    };
    const first = await head({ rotation: 0.2, zoom: 0.2, translation: 0.1, contrast: 0.3, seed: 5 }, 1);
    expect(await head({ rotation: 0.2, zoom: 0.2, translation: 0.1, contrast: 0.3, seed: 5 }, 2)).toEqual(first);
    expect(await head({ rotation: 0.2, zoom: 0.2, translation: 0.1, contrast: 0.3, seed: 6 }, 1)).not.toEqual(first);
    expect(await head({ rotation: 0.2 }, 7)).toEqual(await head({ rotation: 0.2 }, 7));
    base.dispose();
  });

  it('an unfrozen base sees each batch augmented afresh, seeded', async () => {
    const x = tf.div(ramp(8, 4, 4), 255);
    const run = async (aug: object | null) => {
      const m = transfer(pixelBase()).addHead(2);
      if (aug) m.augment(aug);
      await m.fit(x, labels(8), { epochs: 2, batchSize: 4, learningRate: 0.05, seed: 4, shuffle: false });
      return Array.from(m.net.trainableWeights[0].read().dataSync());
    };
    const a = await run({ flip: true, rotation: 0.2 });
    expect(await run({ flip: true, rotation: 0.2 })).toEqual(a);
    expect(await run(null)).not.toEqual(a);
  });

  it('refuses bad options with INVALID_OPTION and changes nothing; no tensor leaks', async () => {
    const base = countingBase();
    const x = ramp(8, 8, 8, 3);
    (base.predict(x) as tf.Tensor).dispose();
    const before = tf.memory().numTensors;
    const model = transfer(base).freeze().augment({ flip: true, views: 2 }).addHead(2);
    const bad: [string, unknown][] = [
      ['views 0', { flip: true, views: 0 }],
      ['views fraction', { flip: true, views: 1.5 }],
      ['nothing named', { views: 2 }],
      ['flip mode', { flip: 'diagonal' }],
      ['rotation NaN', { rotation: Number.NaN }],
      ['zoom -1', { zoom: -1 }],
      ['translation 2', { translation: 2 }],
      ['contrast negative', { contrast: -0.5 }],
      ['brightness over 1', { brightness: [0, 1.5] }],
      ['seed fraction', { flip: true, seed: 0.5 }],
      ['not an object', 4],
    ];
    for (const [what, spec] of bad)
      expect(
        codeOf(() => model.augment(spec as never)),
        what,
      ).toBe('INVALID_OPTION');
    calls = 0;
    await model.fit(x, labels(8), { seed: 1 });
    // the refused calls left the first augmentation in place: 1 batch, clean + 2 views
    expect(calls).toBe(3);
    model.dispose();
    // the model's head and cached features are gone; what was there before (the base) stays
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });
});
