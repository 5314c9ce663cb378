import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, type Model, sequential, setInferenceFolding, transfer } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannedApply, runsPlanned } from '../../packages/core/src/model/inference-plan/folded-inference';
import { planInference, type Step } from '../../packages/core/src/model/inference-plan/plan';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';

type Sym = tfl.SymbolicTensor;

/** Elementwise |a - b| <= tol * max(1, max |b|), with equal shapes. */
async function expectClose(got: tf.Tensor, want: tf.Tensor, tol: number): Promise<void> {
  expect(got.shape).toEqual(want.shape);
  const [a, b] = [await got.data(), await want.data()];
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

/** predictTensor with the plan, then with it off (tfjs-layers' apply per layer): the two must agree within `tol`. */
async function expectPlannedEqualsUnplanned(model: Model, x: tf.Tensor, batchSize: number, tol: number) {
  expect(runsPlanned(model.net, x)).toBe(true);
  const got = await model.predictTensor(x, { batchSize });
  setInferenceFolding(false);
  try {
    expect(runsPlanned(model.net, x)).toBe(false);
    const want = await model.predictTensor(x, { batchSize });
    await expectClose(got, want, tol);
    want.dispose();
  } finally {
    setInferenceFolding(true);
    got.dispose();
  }
}

/** Every weight of `net` drawn afresh (biases too: graft starts them at zero, which would hide a dropped bias). */
function randomiseWeights(net: tfl.LayersModel, seed: number): void {
  const values = net.getWeights().map((w, i) => {
    // moving variances must stay positive: uniform in [0.5, 2] for every weight named so
    const positive = net.weights[i].name.includes('moving_variance');
    return positive
      ? tf.randomUniform(w.shape, 0.5, 2, 'float32', seed + i)
      : tf.randomNormal(w.shape, 0, 0.3, 'float32', seed + i);
  });
  net.setWeights(values);
  tf.dispose(values);
}

const describeStep = (s: Step) =>
  s.kind === 'conv' ? 'conv' : s.kind === 'dense' ? `dense:${s.activation}` : `${s.kind}:${s.layer.getClassName()}`;

function mlp(): Model {
  return sequential({ inputShape: [28, 28], seed: 1 })
    .flatten()
    .dense(32, { activation: 'relu' })
    .dropout(0.5)
    .dense(16, { activation: 'relu' })
    .dense(10, { activation: 'softmax' });
}

describe('the inference plan of layers that do not fold', () => {
  it("runs an MLP's Dense layers as fused matMuls and leaves Dropout out", () => {
    const model = mlp();
    const plan = planInference(model.net);
    if (typeof plan === 'string') throw new Error(plan);
    expect(plan.folded).toBe(0);
    expect(plan.steps.map(describeStep)).toEqual(['layer:Flatten', 'dense:relu', 'dense:relu', 'dense:null']);
    expect(plan.steps[0]).toMatchObject({ direct: true });
    model.dispose();
  });

  it('pools GlobalAveragePooling2D only where the map size is known, and calls only known layers directly', () => {
    const input = tfl.input({ shape: [5, 7, 3] });
    const open = tfl.input({ shape: [null, null, 3] });
    const known = tfl.model({ inputs: input, outputs: tfl.layers.globalAveragePooling2d({}).apply(input) as Sym });
    const unknown = tfl.model({ inputs: open, outputs: tfl.layers.globalAveragePooling2d({}).apply(open) as Sym });
    const plans = [known, unknown].map((m) => planInference(m));
    expect(plans.map((p) => (typeof p === 'string' ? p : p.steps.map(describeStep)))).toEqual([
      ['pool:GlobalAveragePooling2D'],
      ['layer:GlobalAveragePooling2D'],
    ]);
    const noisy = tfl.sequential({
      layers: [tfl.layers.gaussianNoise({ inputShape: [4], stddev: 1 }), tfl.layers.layerNormalization({})],
    });
    const plan = planInference(noisy);
    if (typeof plan === 'string') throw new Error(plan);
    expect(plan.steps.map(describeStep)).toEqual(['layer:LayerNormalization']);
    expect(plan.steps[0]).toMatchObject({ direct: true });
    for (const m of [known, unknown, noisy]) m.dispose();
  });

  it('keeps Dropout and BatchNormalization called with training: true (Monte Carlo dropout) as they run', async () => {
    const input = tfl.input({ shape: [6, 6, 2] });
    let h = tfl.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(input) as Sym;
    h = tfl.layers.batchNormalization().apply(h, { training: true }) as Sym;
    h = tfl.layers.flatten().apply(h) as Sym;
    const out = tfl.layers.dropout({ rate: 0.5 }).apply(h, { training: true }) as Sym;
    const net = tfl.model({ inputs: input, outputs: out });
    const plan = planInference(net);
    if (typeof plan === 'string') throw new Error(plan);
    expect(plan.steps.map(describeStep)).toEqual([
      'layer:Conv2D',
      'layer:BatchNormalization',
      'layer:Flatten',
      'layer:Dropout',
    ]);
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 6);
    const y = plannedApply(net, x) as tf.Tensor;
    // dropout at rate 0.5 zeroes about half of the 432 values (batch statistics leave none exactly 0 before it)
    const zeros = Array.from(await y.data()).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(100);
    tf.dispose([x, y]);
    net.dispose();
  });
});

describe.each(TRAINING_BACKENDS)('planned inference on %s', (backend) => {
  const root = mkdtempSync(join(tmpdir(), 'graft-planned-'));
  beforeAll(async () => {
    await useBackend(backend);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('an MLP predicts as the unplanned path, in batches with a short last one, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const model = mlp();
    randomiseWeights(model.net, 5);
    const x = tf.randomUniform([150, 28, 28], 0, 1, 'float32', 2);
    await expectPlannedEqualsUnplanned(model, x, 64, 1e-5);
    // one batch (no slicing) and batches of one
    const three = tf.slice(x, 0, 3);
    await expectPlannedEqualsUnplanned(model, three, 64, 1e-5);
    await expectPlannedEqualsUnplanned(model, three, 1, 1e-5);
    three.dispose();
    const held = tf.memory().numTensors;
    (await model.predictTensor(x, { batchSize: 64 })).dispose();
    expect(tf.memory().numTensors).toBe(held);
    model.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sees weights written by setWeights and fit, and a loaded model runs planned', async () => {
    const model = mlp();
    const x = tf.randomUniform([40, 28, 28], 0, 1, 'float32', 3);
    const first = await model.predictTensor(x);
    randomiseWeights(model.net, 11);
    await expectPlannedEqualsUnplanned(model, x, 16, 1e-5);
    const second = await model.predictTensor(x);
    // the new weights changed the output: a plan holding the old ones would have failed the comparison above
    expect(await maxAbsDiff(first, second)).toBeGreaterThan(1e-3);
    const y = tf.oneHot(
      tf.tensor1d(
        [...Array(40).keys()].map((i) => i % 10),
        'int32',
      ),
      10,
    );
    await model.fit(x, y, { epochs: 1, batchSize: 8, learningRate: 0.05 });
    await expectPlannedEqualsUnplanned(model, x, 16, 1e-5);
    const third = await model.predictTensor(x);
    expect(await maxAbsDiff(second, third)).toBeGreaterThan(1e-4);
    const dir = join(root, 'mlp');
    await model.save(dir);
    const loaded = await loadModel(dir);
    await expectPlannedEqualsUnplanned(loaded, x, 16, 1e-5);
    const again = await loaded.predictTensor(x, { batchSize: 16 });
    await expectClose(again, third, 1e-5);
    tf.dispose([first, second, third, again, x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('Dense layers whose activation does not fuse, without a bias, or on a rank-3 input equal predict', async () => {
    const input = tfl.input({ shape: [5, 4] });
    let h = tfl.layers.dense({ units: 3, activation: 'tanh' }).apply(input) as Sym;
    h = tfl.layers.flatten().apply(h) as Sym;
    h = tfl.layers.dense({ units: 6, activation: 'sigmoid', useBias: false }).apply(h) as Sym;
    h = tfl.layers.dense({ units: 5, activation: 'relu6' }).apply(h) as Sym;
    h = tfl.layers.dense({ units: 4, activation: 'elu' }).apply(h) as Sym;
    const out = tfl.layers.dense({ units: 2, activation: 'softmax' }).apply(h) as Sym;
    const net = tfl.model({ inputs: input, outputs: out });
    randomiseWeights(net, 21);
    const plan = planInference(net);
    if (typeof plan === 'string') throw new Error(plan);
    expect(plan.steps.map(describeStep)).toEqual([
      'layer:Dense',
      'layer:Flatten',
      'dense:null',
      'dense:relu6',
      'dense:null',
      'dense:null',
    ]);
    const x = tf.randomNormal([7, 5, 4], 0, 2, 'float32', 8);
    const got = plannedApply(net, x) as tf.Tensor;
    const want = net.predict(x) as tf.Tensor;
    await expectClose(got, want, 1e-5);
    tf.dispose([got, want, x]);
    net.dispose();
  });

  it('a model of identities only hands back a copy of its input', async () => {
    const net = tfl.sequential({ layers: [tfl.layers.dropout({ inputShape: [3], rate: 0.5 })] });
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const before = tf.memory().numTensors;
    const y = plannedApply(net, x) as tf.Tensor;
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    expect(await x.data()).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });

  it('a MobileNetV2 transfer model (folded convs, Add, pooling, Dense head) predicts and embeds as unplanned', async () => {
    const base = await mobilenetV2({ alpha: 0.35, inputShape: [96, 96, 3], seed: 1 });
    const model = transfer(base, { seed: 1 }).addHead(4);
    randomiseWeights(model.net, 31);
    const x = tf.randomUniform([5, 96, 96, 3], 0, 255, 'float32', 4);
    await expectPlannedEqualsUnplanned(model, x, 2, 1e-4);
    // feature passes (embed, feature caches) run the stem's plan: the cut base and its pooling
    const features = await model.embed(x);
    setInferenceFolding(false);
    const unplanned = await model.embed(x).finally(() => setInferenceFolding(true));
    await expectClose(features, unplanned, 1e-4);
    tf.dispose([x, features, unplanned]);
    model.dispose();
    base.model.dispose();
  }, 120_000);
});
