import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { disableSimdKernels } from '../src/kernels/simd';
import { maxAbsDiff, numDataIds, onBackend, randomData } from './compare-backends';

// graft's FusedBatchNorm kernel and the single-kernel gradients of ClipByValue (ReLU6) and FusedBatchNorm,
// each against the cpu backend (tfjs' own kernels and gradients), with the SIMD loops and their JS fallbacks.
const paths: [string, boolean][] = [
  ['simd', false],
  ['js', true],
];
beforeEach(() => disableSimdKernels(false));
afterAll(() => disableSimdKernels(false));

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Runs `fn` on fresh tensors of the given (shape, data) on one backend; returns every output's values. */
async function valuesOn(
  backend: 'cpu' | 'wasm',
  inputs: { shape: number[]; data: Float32Array }[],
  fn: (...ts: tf.Tensor[]) => tf.Tensor[],
): Promise<Float32Array[]> {
  return onBackend(backend, async () => {
    const ts = inputs.map((v) => tf.tensor(v.data, v.shape, 'float32'));
    const outs = tf.tidy(() => fn(...ts));
    const values = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
    tf.dispose([...outs, ...ts]);
    return values;
  });
}

async function expectSame(inputs: { shape: number[]; data: Float32Array }[], fn: (...ts: tf.Tensor[]) => tf.Tensor[]) {
  const cpu = await valuesOn('cpu', inputs, fn);
  const wasm = await valuesOn('wasm', inputs, fn);
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((c, i) => {
    const scale = c.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    expect(maxAbsDiff(wasm[i], c)).toBeLessThan(2e-5 * scale);
    // Guard against comparing two all-zero results.
    expect(c.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
}

const input = (shape: number[], seed: number, map: (v: number) => number = (v) => v) => ({
  shape,
  data: randomData(size(shape), seed).map(map),
});
/** Variances must be positive. */
const positive = (v: number) => 0.1 + Math.abs(v);

const bnShapes: [string, number[]][] = [
  ['NHWC, 8 channels, rows past one chunk', [3, 7, 9, 8]],
  ['NHWC, 6 channels (not a multiple of 4)', [2, 5, 5, 6]],
  ['rank 2, 12 channels', [7, 12]],
  ['rank 3, 1 channel', [2, 3, 5, 1]],
];

describe('FusedBatchNorm on wasm matches the cpu backend', () => {
  for (const [name, shape] of bnShapes) {
    const C = shape.at(-1) as number;
    const ins = [
      input(shape, 1, (v) => v * 3 + 2),
      input([C], 2),
      input([C], 3, positive),
      input([C], 4),
      input([C], 5),
    ];
    it.each(paths)(`forward, ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSame(ins, (x, m, v, o, s) => [tf.batchNorm(x, m, v, o, s, 1e-3), tf.batchNorm(x, m, v)]);
    });
    it.each(paths)(`gradients of x, mean, variance, offset and scale, ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      const w = input(shape, 6);
      await expectSame([...ins, w], (x, m, v, o, s, wt) =>
        tf.grads((a, b, c, d, e) => tf.sum(tf.mul(tf.batchNorm(a, b, c, d, e, 1e-3), wt)))([x, m, v, o, s]),
      );
    });
    it.each(paths)(`gradient through batch moments (training mode), ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      const axes = shape.slice(0, -1).map((_, i) => i);
      await expectSame([ins[0], ins[3], ins[4], input(shape, 7)], (x, o, s, wt) =>
        tf.grads((a, b) => {
          const { mean, variance } = tf.moments(a, axes);
          return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, o, b, 1e-3), wt));
        })([x, s]),
      );
    });
  }
  // Forward only: tfjs' own gradient (which graft's defers to for such parameters) fails for them on every backend.
  it('parameters with the rank of x ([1, 1, 1, C]) also match', async () => {
    const p = (seed: number, map?: (v: number) => number) => input([1, 1, 1, 4], seed, map);
    const ins = [input([2, 3, 3, 4], 1), p(2), p(3, positive), p(4), p(5)];
    await expectSame(ins, (x, m, v, o, s) => [tf.batchNorm(x, m, v, o, s)]);
  });
});

describe('ClipByValue (ReLU6) gradient on wasm matches the cpu backend', () => {
  const cases: [string, number[], number, number][] = [
    ['ReLU6, 4 x 4 x 8', [4, 4, 4, 8], 0, 6],
    ['odd size (a tail past the last vector)', [103], -0.5, 0.25],
    ['fewer than 4 elements', [3], -0.5, 0.5],
  ];
  for (const [name, shape, lo, hi] of cases) {
    it.each(paths)(`${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      // Values on both bounds, inside, outside, and NaN (whose gradient is 0 on both backends).
      const x = input(shape, 1, (v) => v * 8);
      x.data[0] = lo;
      x.data[1] = hi;
      if (x.data.length > 2) x.data[2] = Number.NaN;
      await expectSame([x, input(shape, 2)], (a, w) => [
        tf.grad((t) => tf.sum(tf.mul(tf.clipByValue(t, lo, hi), w)))(a),
      ]);
    });
  }
});

describe('Mean gradient on wasm (dy / n broadcast) matches the cpu backend', () => {
  const cases: [string, number[], number | number[], boolean][] = [
    ['BatchNorm moments: axes 0, 1, 2 of NHWC', [2, 3, 5, 6], [0, 1, 2], false],
    ['one inner axis, keepDims', [4, 7, 3], -1, true],
    ['every axis', [3, 5], [0, 1], false],
    ['a middle axis', [2, 6, 3], 1, false],
  ];
  for (const [name, shape, axis, keepDims] of cases) {
    it(name, async () => {
      // a weighted sum after the mean, so each output position gets its own dy
      const outShape = tf.tidy(() => tf.mean(tf.zeros(shape), axis, keepDims).shape);
      await expectSame([input(shape, 3), input(outShape.length ? outShape : [1], 4)], (x, w) => [
        tf.grad((t) => tf.sum(tf.mul(tf.mean(t, axis, keepDims), outShape.length ? w : tf.reshape(w, []))))(x),
      ]);
    });
  }

  it('runs one full-size Tile instead of a Fill, a Multiply and a RealDiv', async () => {
    await onBackend('wasm', async () => {
      const x = tf.randomNormal([2, 8, 8, 16]);
      const { kernels } = await tf.profile(() => tf.grad((t) => tf.sum(tf.mean(t, [0, 1, 2])))(x));
      const full = kernels.filter((k) => k.outputShapes.some((s) => tf.util.sizeFromShape(s ?? []) === x.size));
      // Identity is tf.grad's copy of x (graft's Identity shares the buffer)
      expect(full.map((k) => k.name).filter((n) => n !== 'Identity')).toEqual(['Tile']);
      x.dispose();
    });
  });
});

describe('graft gradients leave no tensors behind', () => {
  it('BatchNorm and ReLU6 gradients on wasm', async () => {
    await onBackend('wasm', () => {
      const x = tf.randomNormal([2, 4, 4, 8]);
      const s = tf.ones([8]);
      const o = tf.zeros([8]);
      const before = { tensors: tf.memory().numTensors, data: numDataIds() };
      const g = tf.grads((a, b) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.clipByValue(tf.batchNorm(a, mean, variance, o, b), 0, 6));
      })([x, s]);
      expect(tf.memory().numTensors).toBe(before.tensors + 2);
      tf.dispose(g);
      expect(tf.memory().numTensors).toBe(before.tensors);
      expect(numDataIds()).toBe(before.data);
      tf.dispose([x, s, o]);
    });
  });
});
