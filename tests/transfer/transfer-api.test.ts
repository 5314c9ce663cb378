import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassPrediction, FINE_TUNE_LEARNING_RATE, isGraftError, sequential, transfer } from '@graftjs/core';
import { classifier, embedding, multiLabel, regression } from '@graftjs/heads';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';
import { halves } from '../helpers/data';

function smallBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1] });
  let x = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'c1',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'bn1' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'c2',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
    })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'small' });
}

const expectCode = async (p: Promise<unknown> | (() => unknown), code: string) => {
  if (typeof p === 'function') {
    try {
      p();
    } catch (e) {
      expect(isGraftError(e) ? e.code : e).toBe(code);
      return;
    }
    throw new Error(`expected ${code}, nothing was thrown`);
  }
  await expect(p).rejects.toSatisfy((e) => isGraftError(e) && e.code === code);
};

describe('transfer()', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('freezes, unfreezes the last n layers or named ones, and refuses bad requests with codes', async () => {
    const base = smallBase();
    const model = transfer(base).freeze().addHead(2);
    expect(base.layers.filter((l) => l.trainable && l.getClassName() !== 'InputLayer')).toHaveLength(0);
    model.unfreeze({ last: 2 });
    expect(base.layers.filter((l) => l.trainable).map((l) => l.name)).toEqual(['c2', 'pool']);
    model.freeze().unfreeze(['c1']);
    expect(base.layers.filter((l) => l.trainable).map((l) => l.name)).toEqual(['c1']);
    await expectCode(() => model.unfreeze({ last: 99 }), 'UNFREEZE_OUT_OF_RANGE');
    await expectCode(() => model.unfreeze(['nope']), 'UNKNOWN_LAYER');
    await expectCode(() => transfer(smallBase()).cut('missing'), 'UNKNOWN_LAYER');
    await expectCode(() => transfer(smallBase()).addHead(0), 'INVALID_HEAD');
    await expectCode(() => transfer(smallBase()).addHead(-3), 'INVALID_HEAD');
    await expectCode(() => transfer({} as never), 'INVALID_BASE');
    const { x, y } = halves(16);
    await expectCode(
      transfer(smallBase())
        .freeze()
        .addHead(2)
        .fit(
          x,
          y.map((v) => v + 2),
          { epochs: 1 },
        ),
      'LABEL_OUT_OF_RANGE',
    );
    await model.dispose();
  });

  it('cut + pool pick the features; the head trains and predicts', async () => {
    const { x, y } = halves(32);
    const model = transfer(smallBase(), { seed: 3 }).cut('c2').pool('max').freeze().addHead(2);
    await model.fit(x, y, { epochs: 30, batchSize: 8, learningRate: 0.05, seed: 1 });
    expect(model.lastFit?.featureCache).toBe(true);
    expect(model.net.getLayer('graft_pool').getClassName()).toBe('GlobalMaxPooling2D');
    expect((model.net.getLayer('graft_pool').output as tfl.SymbolicTensor).shape).toEqual([null, 6]);
    expect((await model.evaluate(x, y)).accuracy).toBeGreaterThan(0.9);
    const p = (await model.predict(x[0])) as ClassPrediction;
    expect(p.index).toBe(0);
    await model.dispose();
  });

  it('fineTune trains the head first, then the base at a lower rate', async () => {
    const { x, y } = halves(24);
    const base = smallBase();
    const c1 = Array.from(base.getLayer('c1').getWeights()[0].dataSync());
    const model = transfer(base, { seed: 1 }).addHead(2);
    const data = (await import('@graftjs/core')).Dataset.from(x, y);
    await model.fineTune(data, { headEpochs: 2, epochs: 2, learningRate: 0.01, seed: 1 });
    expect(model.history.loss).toHaveLength(4);
    expect(Array.from(base.getLayer('c1').getWeights()[0].dataSync())).not.toEqual(c1);
    data.dispose();
    await model.dispose();
  });

  it('after unfreeze, a fit without a learning rate uses the fine-tuning default (1e-5)', async () => {
    const { x, y } = halves(16);
    const model = transfer(smallBase(), { seed: 1 }).freeze().addHead(2).compile({ learningRate: undefined });
    // the optimizer graft built for the last fit (private: the rate is what is under test)
    const rate = () =>
      (model as unknown as { optimizer: { current: { learningRate: number } } }).optimizer.current.learningRate;
    await model.fit(x, y, { epochs: 1 });
    expect(rate()).toBe(0.001);
    model.unfreeze();
    await model.fit(x, y, { epochs: 1 });
    expect(rate()).toBe(FINE_TUNE_LEARNING_RATE);
    model.unfreeze();
    await model.fit(x, y, { epochs: 1, learningRate: 0.003 });
    expect(rate()).toBe(0.003);
    await model.dispose();
  });

  it('a tf.Optimizer given to compile trains through freeze and unfreeze; the instance itself is not changed', async () => {
    const { x, y } = halves(16);
    const adam = tf.train.adam(0.02);
    const model = transfer(smallBase(), { seed: 1 }).freeze().addHead(2).compile({ optimizer: adam });
    const used = () => (model as unknown as { optimizer: { current: tf.AdamOptimizer } }).optimizer.current;
    await model.fit(x, y, { epochs: 2 });
    expect(used()).toBeInstanceOf(tf.AdamOptimizer);
    expect(used().getConfig()).toEqual(adam.getConfig());
    // a new trainable set: tfjs keeps Adam's moments by position, so the same instance would now misapply them
    model.unfreeze();
    await model.fit(x, y, { epochs: 2 });
    expect(model.history.loss).toHaveLength(4);
    expect(model.history.loss.every(Number.isFinite)).toBe(true);
    expect(used().getConfig().learningRate, "the instance's rate, not the fine-tuning default").toBe(0.02);
    expect(used()).not.toBe(adam);
    expect(adam.iterations, "the caller's instance never stepped").toBe(0);
    await model.fit(x, y, { epochs: 1, learningRate: 0.005 });
    expect(used().getConfig().learningRate).toBe(0.005);
    await model.dispose();
    adam.dispose();
  });

  it('builds on a graft Model, saves and loads a transfer model', async () => {
    const { x, y } = halves(24);
    const pre = sequential({ inputShape: [8, 8, 1], seed: 1 })
      .conv2d(4, 3, { activation: 'relu', name: 'pre_conv' })
      .globalAvgPool2d()
      .dense(2, { activation: 'softmax' });
    await pre.fit(x, y, { epochs: 2 });
    const model = transfer(pre, { seed: 2 }).cut('pre_conv').freeze().addHead(2);
    await model.fit(
      x,
      y.map((v) => ['left', 'right'][v]),
      { epochs: 3 },
    );
    const dir = mkdtempSync(join(tmpdir(), 'graft-transfer-'));
    await model.save(dir);
    const loaded = await (await import('@graftjs/core')).loadModel(dir);
    expect(loaded.classNames).toEqual(['left', 'right']);
    const a = (await model.predict(x.slice(0, 4))) as ClassPrediction[];
    const b = (await loaded.predict(x.slice(0, 4))) as ClassPrediction[];
    expect(b.map((q) => q.probabilities)).toEqual(a.map((q) => q.probabilities));
    rmSync(dir, { recursive: true, force: true });
    // the transfer model owns the base it was built on: disposing it frees the shared layers
    await Promise.all([model.dispose(), loaded.dispose()]);
  });

  it('heads set activation, loss and metrics: multi-label, regression, embedding', async () => {
    const { x, y } = halves(32);
    const ml = transfer(smallBase(), { seed: 1 }).freeze().addHead(multiLabel(2));
    await ml.fit(
      x,
      y.map((c) => (c === 0 ? [1, 0] : [0, 1])),
      { epochs: 20, learningRate: 0.05 },
    );
    expect(ml.history.accuracy.at(-1)).toBeGreaterThan(0.9);
    const reg = transfer(smallBase(), { seed: 1 }).pool('flatten').freeze().addHead(regression(1));
    await reg.fit(
      x,
      y.map((c) => [c * 3]),
      { epochs: 30, learningRate: 0.05 },
    );
    expect(reg.history.mae.at(-1)).toBeLessThan(reg.history.mae[0]);
    const emb = transfer(smallBase(), { seed: 1 })
      .pool('flatten')
      .freeze()
      .addHead(embedding(8, { hidden: [16], margin: 1.5 }));
    await emb.fit(x, y, { epochs: 40, learningRate: 0.01, batchSize: 16, seed: 1 });
    expect(emb.history.loss.at(-1)).toBeLessThan(emb.history.loss[0]);
    const e = tf.tidy(() => emb.net.predict(tf.tensor4d(x.flat(3), [32, 8, 8, 1])) as tf.Tensor);
    const rows = (await e.array()) as number[][];
    e.dispose();
    expect(Math.hypot(...rows[0])).toBeCloseTo(1, 4);
    const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
    let same = 0;
    let other = 0;
    for (let i = 0; i < 32; i++) {
      for (let j = i + 1; j < 32; j++) {
        if (y[i] === y[j]) same += dist(rows[i], rows[j]);
        else other += dist(rows[i], rows[j]);
      }
    }
    expect(same).toBeLessThan(other * 0.5);
    await expectCode(() => transfer(smallBase()).addHead(classifier(2, { dropout: 1.5 })), 'INVALID_HEAD');
    await Promise.all([ml.dispose(), reg.dispose(), emb.dispose()]);
  });

  it('fits twice on one Dataset when the base cannot use the cache (a dropout inside the base)', async () => {
    const { x, y } = halves(16);
    const input = tfl.input({ shape: [8, 8, 1] });
    const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c' }).apply(input) as tfl.SymbolicTensor;
    const drop = tfl.layers.dropout({ rate: 0.2, name: 'd' }).apply(conv) as tfl.SymbolicTensor;
    const base = tfl.model({ inputs: input, outputs: drop });
    const data = (await import('@graftjs/core')).Dataset.from(x, y);
    const model = transfer(base, { seed: 1 }).freeze().addHead(2);
    expect(model.usesFeatureCache).toBe(false);
    await model.fit(data, { epochs: 1 });
    await model.fit(data, { epochs: 1 });
    expect(data.isDisposed).toBe(false);
    expect(model.history.loss).toHaveLength(2);
    data.dispose();
    await model.dispose();
  });

  it('a GraphModel-like base is always frozen', async () => {
    const base = smallBase();
    const graphLike = {
      inputs: [{ name: 'x', shape: [-1, 8, 8, 1] }],
      outputs: [{ name: 'y' }],
      execute: (t: tf.Tensor) => base.predict(t) as tf.Tensor,
      executeAsync: async (t: tf.Tensor) => base.predict(t) as tf.Tensor,
    };
    const model = transfer(graphLike).addHead(2);
    await expectCode(() => model.unfreeze(), 'GRAPH_MODEL_NOT_TRAINABLE');
    const { x, y } = halves(16);
    await model.fit(x, y, { epochs: 2, featureCache: false });
    expect(model.lastFit?.featureCache).toBe(false);
    await expectCode(model.save(mkdtempSync(join(tmpdir(), 'graft-g-'))), 'UNSUPPORTED_TARGET');
    await model.dispose();
  });
});
