import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backends, loadModel, type Model, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { weightsOf } from '../helpers/data';
import { outcome, smallImageBase, tinyClassifier } from './fixtures';
import { expectCode, FIT, images, type LifecycleCase, type LifecycleContext, trained } from './lifecycle-fixtures';

const ownership: LifecycleCase[] = [
  {
    area: 'ownership',
    name: "disposing one transfer model keeps the caller's base and a second model on it working",
    async run() {
      const base = smallImageBase();
      const { x, y } = images(8);
      const a = transfer(base).freeze().addHead(2);
      const b = transfer(base).freeze().addHead(2);
      await a.fit(x, y, FIT);
      await b.fit(x, y, FIT);
      a.dispose();
      await b.fit(x, y, FIT);
      expect((await b.predict(x, { batch: true })).length).toBe(8);
      const out = tf.tidy(() => (base.predict(tf.zeros([1, 8, 8, 3])) as tf.Tensor).shape);
      expect(out).toEqual([1, 3, 3, 2]);
      b.dispose();
      base.dispose();
    },
  },
  {
    area: 'ownership',
    name: "one model unfreezing a shared base does not break the other's next fit (optimizer rebuilt per trainable set)",
    async run() {
      const base = smallImageBase();
      const { x, y } = images(8);
      const a = transfer(base).freeze().addHead(2);
      const b = transfer(base).freeze().addHead(2);
      await a.fit(x, y, FIT);
      await b.fit(x, y, FIT);
      a.unfreeze();
      await a.fit(x, y, FIT);
      await b.fit(x, y, FIT);
      expect(b.lastFit?.epochs).toBe(2);
      a.dispose();
      b.dispose();
      base.dispose();
    },
  },
  {
    area: 'ownership',
    name: 'dispose() frees every tensor synchronously (tfjs semantics), and await dispose() still works',
    async run(ctx) {
      const before = tf.memory().numTensors;
      const m = await trained(ctx);
      await m.predict(ctx.x[0]);
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const n = await trained(ctx);
      await n.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  },
  {
    area: 'ownership',
    name: 'a second dispose() does nothing',
    async run(ctx) {
      const m = await trained(ctx);
      m.dispose();
      const n = tf.memory().numTensors;
      m.dispose();
      expect(tf.memory().numTensors).toBe(n);
    },
  },
];

/** Every public call a disposed model must refuse, each with MODEL_DISPOSED and without building a new network. */
const AFTER_DISPOSE: [string, (m: Model, ctx: LifecycleContext, input: tf.Tensor) => unknown][] = [
  ['predict', (m, ctx) => m.predict(ctx.x[0])],
  ['predictTensor', (m, _ctx, input) => m.predictTensor(input)],
  ['evaluate', (m, ctx) => m.evaluate(ctx.x, ctx.y)],
  ['fit', (m, ctx) => m.fit(ctx.x, ctx.y, FIT)],
  ['save', (m, ctx) => m.save(join(ctx.dir, `${ctx.backend}-disposed`))],
  ['export', (m) => m.export('onnx')],
  ['summary', (m) => m.summary(null)],
  ['metadata', (m) => m.metadata()],
  ['compile', (m) => m.compile({ optimizer: 'sgd' })],
  ['net', (m) => m.net],
  ['a layer method (sequential)', (m) => (m as ReturnType<typeof tinyClassifier>).dense(2)],
];

const disposed: LifecycleCase[] = AFTER_DISPOSE.map(([what, call]) => ({
  area: 'ownership',
  name: `${what} after dispose() -> MODEL_DISPOSED, no network rebuilt`,
  async run(ctx) {
    const m = await trained(ctx);
    const input = tf.zeros([1, 4]);
    m.dispose();
    const n = tf.memory().numTensors;
    await expectCode(() => call(m, ctx, input), 'MODEL_DISPOSED');
    expect(tf.memory().numTensors, 'a rebuilt network would hold new weights').toBe(n);
    input.dispose();
  },
}));

/** Calls refused while a fit runs: the fit still ends as it would have. */
const DURING_FIT: [string, (m: ReturnType<typeof transfer>) => unknown][] = [
  ['compile', (m) => m.compile({ optimizer: 'sgd' })],
  ['freeze', (m) => m.freeze()],
  ['unfreeze', (m) => m.unfreeze()],
  ['dispose', (m) => m.dispose()],
  ['cut', (m) => m.cut('c1')],
  ['addHead', (m) => m.addHead(3)],
  ['preprocess', (m) => m.preprocess({ size: [8, 8] })],
  ['clearFeatureCache', (m) => m.clearFeatureCache()],
];

const duringFit: LifecycleCase[] = DURING_FIT.map(([what, call]) => ({
  area: 'fit in progress',
  name: `${what}() during a fit -> FIT_IN_PROGRESS, the fit completes unharmed`,
  async run() {
    const base = smallImageBase();
    const { x, y } = images(8);
    const m = transfer(base).freeze().addHead(2);
    const running = m.fit(x, y, FIT);
    await expectCode(() => call(m), 'FIT_IN_PROGRESS');
    await running;
    expect(m.lastFit?.epochs).toBe(2);
    expect(m.history.loss.length).toBe(2);
    m.dispose();
    base.dispose();
  },
}));

const switches: LifecycleCase[] = [
  {
    area: 'backend switch',
    name: 'backends.use(other) right after fit() starts -> BACKEND_SWITCH_DURING_FIT; the fit completes on its backend',
    async run(ctx) {
      const m = tinyClassifier();
      const running = m.fit(ctx.x, ctx.y, FIT);
      await expectCode(() => backends.use(ctx.other), 'BACKEND_SWITCH_DURING_FIT');
      await running;
      expect(m.lastFit?.backend).toBe(ctx.backend);
      expect(tf.getBackend()).toBe(ctx.backend);
      m.dispose();
    },
  },
  {
    area: 'backend switch',
    name: 'a fit started while use() runs waits for the switch and lastFit.backend names the backend that trained',
    async run(ctx) {
      const m = tinyClassifier();
      let trainedOn = '';
      const switching = backends.use(ctx.other);
      await m.fit(ctx.x, ctx.y, {
        ...FIT,
        onEpochEnd: () => {
          trainedOn = tf.getBackend();
        },
      });
      await switching;
      expect(m.lastFit?.backend).toBe(ctx.other);
      expect(trainedOn).toBe(ctx.other);
      await backends.use(ctx.backend);
      m.dispose();
    },
  },
];

/** Data whose loss overflows at once: every input at ±3e38, within float32 (so accepted), overflowing in the first layer. */
const overflowing = (ctx: LifecycleContext) => ctx.x.map((r) => r.map((v) => (v >= 0 ? 3e38 : -3e38)));

const afterErrors: LifecycleCase[] = [
  {
    area: 'state after errors',
    name: 'after NON_FINITE_LOSS the next fit on clean data, at the same rate, trains (the NaN moments are gone)',
    async run(ctx) {
      const m = await trained(ctx);
      const before = await weightsOf(m.net);
      await expectCode(() => m.fit(overflowing(ctx), ctx.y, FIT), 'NON_FINITE_LOSS');
      expect(await weightsOf(m.net)).toEqual(before);
      await m.fit(ctx.x, ctx.y, FIT);
      expect(m.history.loss.every(Number.isFinite)).toBe(true);
      m.dispose();
    },
  },
  {
    area: 'state after errors',
    name: 'a fit that fails after training leaves no stale inference session (onnx predicts the new weights)',
    // the ONNX exporter reads weights with dataSync, which webgpu in Node cannot do (listed in docs/reliability.md)
    skipOn: ['webgpu'],
    async run(ctx) {
      const m = await trained(ctx);
      await m.predict(ctx.x[0], { backend: 'onnx' });
      const fail = () => {
        throw new Error('stop here');
      };
      expect(await outcome(() => m.fit(ctx.x, ctx.y, { ...FIT, learningRate: 0.5, onEpochEnd: fail }))).toMatch(
        /stop here/,
      );
      const probs = async (backend?: string) =>
        ((await m.predict(ctx.x[0], { backend })) as { probabilities: number[] }).probabilities;
      const tfjs = await probs();
      const onnx = await probs('onnx');
      for (const [i, p] of onnx.entries()) expect(p).toBeCloseTo(tfjs[i], 4);
      m.dispose();
    },
  },
];

const leaks: LifecycleCase[] = [
  {
    area: 'state after errors',
    name: 'a manifest naming one weight twice -> INVALID_MODEL_FILE, no tensor left per load',
    async run(ctx) {
      const m = await trained(ctx);
      const dir = join(ctx.dir, `${ctx.backend}-duplicate-names`);
      await m.save(dir);
      m.dispose();
      const file = join(dir, 'model.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      const specs = json.weightsManifest[0].weights as { name: string }[];
      specs[1].name = specs[0].name;
      writeFileSync(file, JSON.stringify(json));
      const n = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await expectCode(() => loadModel(dir), 'INVALID_MODEL_FILE');
      expect(tf.memory().numTensors).toBe(n);
    },
  },
];

export const LIFECYCLE_CASES: LifecycleCase[] = [
  ...ownership,
  ...disposed,
  ...duringFit,
  ...switches,
  ...afterErrors,
  ...leaks,
];
