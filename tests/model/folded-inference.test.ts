import { sequential } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  foldedApply,
  inferencePlanStatus,
  releaseFolded,
  setInferenceFolding,
} from '../../packages/core/src/model/inference-plan/folded-inference';
import { planInference } from '../../packages/core/src/model/inference-plan/plan';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';

type Sym = tfl.SymbolicTensor;

/** Random moving statistics, gamma and beta, so a fold that drops any of them gives other numbers. */
function randomiseBatchNorms(net: tfl.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of net.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.getWeights().map((w, i) => {
      s++;
      // the last weight is the moving variance: keep it positive
      const last = i === layer.getWeights().length - 1;
      return last ? tf.randomUniform(w.shape, 0.5, 2, 'float32', s) : tf.randomNormal(w.shape, 0, 0.5, 'float32', s);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** The reference: tfjs-layers' own inference. Elementwise |a - b| <= 1e-4 * max(1, max |reference|). */
async function expectSameAsPredict(net: tfl.LayersModel, x: tf.Tensor): Promise<void> {
  const want = net.predict(x) as tf.Tensor;
  const got = foldedApply(net, x);
  expect(got).not.toBeNull();
  const [a, b] = [await (got as tf.Tensor).data(), await want.data()];
  expect((got as tf.Tensor).shape).toEqual(want.shape);
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(1e-4 * scale);
  tf.dispose([got as tf.Tensor, want]);
}

function convBnRelu6(): tfl.LayersModel {
  const input = tfl.input({ shape: [9, 9, 3] });
  let x = tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as Sym;
  x = tfl.layers.batchNormalization({ epsilon: 1e-3 }).apply(x) as Sym;
  x = tfl.layers.reLU({ maxValue: 6 }).apply(x) as Sym;
  x = tfl.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false }).apply(x) as Sym;
  x = tfl.layers.batchNormalization({ center: false, scale: false }).apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: x });
}

function depthwiseBnRelu(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3] });
  let x = tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid' }).apply(input) as Sym;
  x = tfl.layers.batchNormalization({ center: false }).apply(x) as Sym;
  x = tfl.layers.activation({ activation: 'relu' }).apply(x) as Sym;
  x = tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as Sym;
  x = tfl.layers.batchNormalization({ scale: false }).apply(x) as Sym;
  x = tfl.layers.reLU().apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: x });
}

/** Residual block; the first BN's output has two readers, so only its conv may not absorb the ReLU after it. */
function residual(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 4] });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as Sym;
  const shared = tfl.layers.batchNormalization().apply(x) as Sym;
  x = tfl.layers.reLU({ maxValue: 6 }).apply(shared) as Sym;
  x = tfl.layers.conv2d({ filters: 4, kernelSize: 1, padding: 'same' }).apply(x) as Sym;
  x = tfl.layers.batchNormalization().apply(x) as Sym;
  x = tfl.layers.add().apply([x, shared, input]) as Sym;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: x });
}

/** ZeroPadding2D before 'valid' convs: ((0, 1), (0, 1)) pads as 'same' for stride 2 on 8x8; (1, 1) on 4x4 does not. */
function padded(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3] });
  let x = tfl.layers
    .zeroPadding2d({
      padding: [
        [0, 1],
        [0, 1],
      ],
    })
    .apply(input) as Sym;
  x = tfl.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid' }).apply(x) as Sym;
  x = tfl.layers.batchNormalization().apply(x) as Sym;
  x = tfl.layers.reLU({ maxValue: 6 }).apply(x) as Sym;
  x = tfl.layers.zeroPadding2d({ padding: 1 }).apply(x) as Sym;
  x = tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }).apply(x) as Sym;
  x = tfl.layers.batchNormalization().apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: x });
}

describe('inference plan', () => {
  it("absorbs a ZeroPadding2D only where it pads as 'same' would", () => {
    const plan = planInference(padded());
    if (typeof plan === 'string') throw new Error(plan);
    const kinds = plan.steps.map((s) => (s.kind === 'conv' ? `conv:${s.pad}` : s.layer.getClassName()));
    expect(kinds).toEqual(['conv:same', 'ZeroPadding2D', 'conv:valid']);
  });
});

describe.each(TRAINING_BACKENDS)('folded inference on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each([
    ['conv-BN-ReLU6 (and BN without center/scale)', convBnRelu6, 2],
    ['depthwise-BN-ReLU', depthwiseBnRelu, 2],
    ['a residual block with Add', residual, 2],
    ['ZeroPadding2D before valid convs', padded, 2],
  ])('%s equals predict', async (_, build, folds) => {
    const net = build();
    randomiseBatchNorms(net, 7);
    expect(inferencePlanStatus(net)).toEqual({ folded: folds });
    const x = tf.randomNormal([3, ...(net.inputs[0].shape.slice(1) as number[])], 0, 1, 'float32', 1);
    await expectSameAsPredict(net, x);
    x.dispose();
    releaseFolded(net);
    net.dispose();
  });

  it('MobileNetV2 alpha 0.35 (zoo architecture, random weights) equals predict', async () => {
    const base = await mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], seed: 1 });
    randomiseBatchNorms(base.model, 3);
    const status = inferencePlanStatus(base.model);
    // 52 conv/depthwise layers, each followed by its BN
    expect(status).toEqual({ folded: 52 });
    // its four ZeroPadding2D layers (before the stride-2 depthwise convs) pad as 'same' would: all absorbed
    const plan = planInference(base.model);
    if (typeof plan === 'string') throw new Error(plan);
    expect(plan.steps.filter((s) => s.kind === 'conv' && s.pad === 'same' && s.depthwise)).toHaveLength(4 + 13);
    expect(plan.steps.filter((s) => s.kind === 'layer' && s.layer.getClassName() === 'ZeroPadding2D')).toEqual([]);
    const x = tf.randomUniform([2, 96, 96, 3], -1, 1, 'float32', 2);
    await expectSameAsPredict(base.model, x);
    x.dispose();
    releaseFolded(base.model);
    base.model.dispose();
  }, 120_000);

  it('sees weights written after the first call, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const net = convBnRelu6();
    randomiseBatchNorms(net, 11);
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 4);
    await expectSameAsPredict(net, x);
    // a conv kernel, then a BN moving variance
    const conv = net.layers[1];
    const k = tf.randomNormal(conv.getWeights()[0].shape, 0, 1, 'float32', 9);
    conv.setWeights([k, conv.getWeights()[1]]);
    await expectSameAsPredict(net, x);
    randomiseBatchNorms(net, 99);
    await expectSameAsPredict(net, x);
    const owned = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await expectSameAsPredict(net, x);
    expect(tf.memory().numTensors).toBe(owned);
    releaseFolded(net);
    tf.dispose([x, k]);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a graft model predicts folded, sees the weights a fit wrote, and frees the folds with the model', async () => {
    const before = tf.memory().numTensors;
    const model = sequential({ inputShape: [8, 8, 3], seed: 3 })
      .conv2d(4, 3)
      .batchNorm()
      .activation('relu6')
      .flatten()
      .dense(3, { activation: 'softmax' });
    const x = tf.randomNormal([20, 8, 8, 3], 0, 1, 'float32', 5);
    const y = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          [...Array(20).keys()].map((i) => i % 3),
          'int32',
        ),
        3,
      ),
    );
    const check = async () => {
      const got = await model.predictTensor(x, { batchSize: 8 });
      const want = model.net.predict(x) as tf.Tensor;
      const [a, b] = [await got.data(), await want.data()];
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5);
      tf.dispose([got, want]);
    };
    expect(inferencePlanStatus(model.net)).toEqual({ folded: 1 });
    await check();
    const firstKernel = await model.net.layers[0].getWeights()[0].data();
    await model.fit(x, y, { epochs: 2, batchSize: 4 });
    // the fit moved the conv kernel, so folds made before it would now be wrong
    const moved = await model.net.layers[0].getWeights()[0].data();
    expect(moved.some((v, i) => v !== firstKernel[i])).toBe(true);
    await check();
    model.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs nothing folded when off or when nothing folds, and says why', () => {
    const dense = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] });
    expect(inferencePlanStatus(dense)).toEqual({ reason: expect.stringContaining('no Conv2D') });
    const x = tf.ones([1, 3]);
    expect(foldedApply(dense, x)).toBeNull();
    const net = convBnRelu6();
    setInferenceFolding(false);
    try {
      expect(foldedApply(net, tf.ones([1, 9, 9, 3]))).toBeNull();
      expect(inferencePlanStatus(net)).toEqual({ reason: expect.stringContaining('off') });
    } finally {
      setInferenceFolding(true);
    }
    tf.dispose(x);
    dense.dispose();
    net.dispose();
  });
});
