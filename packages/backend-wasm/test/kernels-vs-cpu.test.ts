import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { disableSimdKernels, simdFor } from '../src/kernels/simd';
import { maxAbsDiff, onBackend, randomData, runKernelOn } from './compare-backends';

// Every case runs twice: with graft's WebAssembly SIMD loops and with their JavaScript fallbacks.
const paths: [string, boolean][] = [
  ['simd', false],
  ['js', true],
];
beforeEach(() => disableSimdKernels(false));
afterAll(() => disableSimdKernels(false));

describe('graft wasm SIMD loops', () => {
  it('are available in this environment, so the simd cases below exercise them', async () => {
    await onBackend('wasm', () => expect(simdFor(tf.backend() as BackendWasm)).not.toBeNull());
  });
});

type Pad = 'valid' | 'same';
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function expectSameOnBoth(kernel: string, inputs: Record<string, number[]>, attrs: Record<string, unknown>) {
  let seed = 1;
  const data: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, shape] of Object.entries(inputs)) data[k] = { shape, data: randomData(size(shape), seed++) };
  const cpu = await runKernelOn('cpu', kernel, data, attrs);
  const wasm = await runKernelOn('wasm', kernel, data, attrs);
  expect(wasm.shape).toEqual(cpu.shape);
  // float32 sums of many terms: the tolerance scales with the result's magnitude.
  const scale = cpu.values.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThan(1e-4 * scale);
  // Guard against comparing two all-zero results.
  expect(cpu.values.some((v) => Math.abs(v) > 1e-3)).toBe(true);
}

const convCases: [string, number[], number[], number, Pad][] = [
  // name, x shape, filter shape, stride, pad
  ['3x3 valid s1', [2, 7, 7, 3], [3, 3, 3, 4], 1, 'valid'],
  ['3x3 same s1', [2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
  ['3x3 valid s2', [2, 8, 8, 3], [3, 3, 3, 5], 2, 'valid'],
  ['3x3 same s2 odd', [2, 7, 7, 2], [3, 3, 2, 4], 2, 'same'],
  ['3x3 same s2 even', [3, 8, 8, 2], [3, 3, 2, 4], 2, 'same'],
  ['1x1 valid s1', [2, 5, 5, 6], [1, 1, 6, 3], 1, 'valid'],
  ['5x5 same s1 1ch', [2, 9, 9, 1], [5, 5, 1, 8], 1, 'same'],
  ['2x2 valid s2', [1, 6, 6, 4], [2, 2, 4, 3], 2, 'valid'],
  ['3x3 same s2 batch 1, 36 out channels', [1, 9, 9, 5], [3, 3, 5, 36], 2, 'same'],
  ['3x3 valid s1, 1 in channel, 32 out', [3, 12, 12, 1], [3, 3, 1, 32], 1, 'valid'],
  ['3x3 same s1 several image chunks', [4, 20, 20, 8], [3, 3, 8, 16], 1, 'same'],
  ['1x3 same s2 wide', [2, 5, 11, 3], [1, 3, 3, 12], 2, 'same'],
  ['3x3 same s2 odd, 4 in channels', [2, 7, 7, 4], [3, 3, 4, 6], 2, 'same'],
  ['3x3 valid s1 batch 1, 36 in channels', [1, 6, 6, 36], [3, 3, 36, 8], 1, 'valid'],
  ['5x5 same s1, 4 in 4 out', [2, 6, 6, 4], [5, 5, 4, 4], 1, 'same'],
];

describe('Conv2D gradients match the cpu backend', () => {
  for (const [name, xShape, fShape, stride, pad] of convCases) {
    const info = backend_util.computeConv2DInfo(xShape as never, fShape as never, stride, 1, pad);
    const dyShape = info.outShape;
    it.each(paths)(`Conv2DBackpropFilter ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSameOnBoth(
        'Conv2DBackpropFilter',
        { x: xShape, dy: dyShape },
        { strides: stride, pad, dataFormat: 'NHWC', filterShape: fShape },
      );
    });
    it.each(paths)(`Conv2DBackpropInput ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSameOnBoth(
        'Conv2DBackpropInput',
        { dy: dyShape, filter: fShape },
        { strides: stride, pad, dataFormat: 'NHWC', inputShape: xShape },
      );
    });
  }
});

describe('Conv2D gradients ignore a dilations attribute, like every tfjs backend', () => {
  it('Conv2DBackpropFilter', async () => {
    await expectSameOnBoth(
      'Conv2DBackpropFilter',
      { x: [2, 7, 7, 4], dy: [2, 7, 7, 8] },
      { strides: 1, dilations: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 8] },
    );
  });
  it('Conv2DBackpropInput', async () => {
    await expectSameOnBoth(
      'Conv2DBackpropInput',
      { dy: [2, 7, 7, 8], filter: [3, 3, 4, 8] },
      { strides: 1, dilations: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 7, 7, 4] },
    );
  });
});

describe('Conv2D (forward) matches the cpu backend', () => {
  const cases: [string, number[], number[], number | [number, number], Pad, number][] = [
    // name, x shape, filter shape, stride, pad, dilation
    ['3x3 valid s1, 1 channel, 32 out', [3, 12, 12, 1], [3, 3, 1, 32], 1, 'valid', 1],
    ['3x3 valid s2, 3 channels', [2, 9, 9, 3], [3, 3, 3, 8], 2, 'valid', 1],
    ['3x3 valid s1 batch 1, 36 out (two blocks)', [1, 7, 8, 2], [3, 3, 2, 36], 1, 'valid', 1],
    ['2x3 valid strides [2, 1], 4 channels', [2, 8, 7, 4], [2, 3, 4, 4], [2, 1], 'valid', 1],
    ['3x3 valid dilation 2', [2, 9, 9, 2], [3, 3, 2, 8], 1, 'valid', 2],
    ['1x1 same (no padding needed)', [2, 5, 5, 3], [1, 1, 3, 12], 1, 'same', 1],
    // Stock kernel: padded, wide inputs, output channels not a multiple of 4.
    ['3x3 same s1 (stock)', [2, 6, 6, 1], [3, 3, 1, 8], 1, 'same', 1],
    ['3x3 valid, 8 channels (stock)', [2, 6, 6, 8], [3, 3, 8, 8], 1, 'valid', 1],
    ['3x3 valid, 6 out channels (stock)', [2, 6, 6, 2], [3, 3, 2, 6], 1, 'valid', 1],
  ];
  for (const [name, xShape, fShape, strides, pad, dilations] of cases) {
    it.each(paths)(`Conv2D ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSameOnBoth('Conv2D', { x: xShape, filter: fShape }, { strides, pad, dataFormat: 'NHWC', dilations });
    });
  }
});

describe('Conv2DBackpropInput keeps channels-first (NCHW) working through the stock kernel', () => {
  it('3x3 same s1 NCHW', async () => {
    await expectSameOnBoth(
      'Conv2DBackpropInput',
      { dy: [2, 4, 6, 6], filter: [3, 3, 3, 4] },
      { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 6, 6] },
    );
  });
});

const dwCases: [string, number[], number[], number, Pad][] = [
  ['M1 3x3 same s1', [2, 6, 6, 3], [3, 3, 3, 1], 1, 'same'],
  ['M1 3x3 valid s1', [2, 6, 6, 3], [3, 3, 3, 1], 1, 'valid'],
  ['M1 3x3 same s2', [2, 7, 7, 4], [3, 3, 4, 1], 2, 'same'],
  ['M2 3x3 same s1', [2, 6, 6, 3], [3, 3, 3, 2], 1, 'same'],
  ['M2 3x3 same s2 even', [2, 8, 8, 2], [3, 3, 2, 2], 2, 'same'],
  ['M2 5x5 valid s2', [1, 9, 9, 3], [5, 5, 3, 2], 2, 'valid'],
  // M = 1 with channels a multiple of 4: the filter gradient's SIMD loop (blocks of 32 channels and a rest).
  ['M1 3x3 same s1, 8 channels', [2, 7, 5, 8], [3, 3, 8, 1], 1, 'same'],
  ['M1 3x3 valid s2 odd, 12 channels', [3, 9, 9, 12], [3, 3, 12, 1], 2, 'valid'],
  ['M1 3x3 same s2 even batch 1, 36 channels', [1, 8, 8, 36], [3, 3, 36, 1], 2, 'same'],
  ['M1 5x5 same s1 batch 1, 44 channels', [1, 6, 7, 44], [5, 5, 44, 1], 1, 'same'],
  ['M1 3x3 same s2 odd, 4 channels', [2, 5, 5, 4], [3, 3, 4, 1], 2, 'same'],
  ['M1 3x3 valid s1, 5 channels (no SIMD)', [2, 6, 6, 5], [3, 3, 5, 1], 1, 'valid'],
];

describe('DepthwiseConv2dNative gradients match the cpu backend', () => {
  for (const [name, xShape, fShape, stride, pad] of dwCases) {
    const info = backend_util.computeConv2DInfo(xShape as never, fShape as never, stride, 1, pad, undefined, true);
    const dyShape = info.outShape;
    it.each(paths)(`DepthwiseConv2dNativeBackpropFilter ${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSameOnBoth(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: xShape, dy: dyShape },
        { strides: stride, dilations: 1, pad, filterShape: fShape },
      );
    });
    it(`DepthwiseConv2dNativeBackpropInput ${name}`, async () => {
      await expectSameOnBoth(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: dyShape, filter: fShape },
        { strides: stride, dilations: 1, pad, inputShape: xShape },
      );
    });
  }
});

// The cpu backend's filter gradient ignores dilations (tfjs's gradient refuses them), so dilated taps are
// checked as SIMD against the JavaScript loop.
describe('DepthwiseConv2dNativeBackpropFilter with dilations: SIMD matches the JavaScript loop', () => {
  for (const [xShape, fShape, pad] of [
    [[2, 9, 9, 8], [3, 3, 8, 1], 'same'],
    [[1, 10, 8, 4], [3, 3, 4, 1], 'valid'],
  ] as [number[], number[], Pad][]) {
    const info = backend_util.computeConv2DInfo(xShape as never, fShape as never, 1, 2, pad, undefined, true);
    it(`x [${xShape}] filter [${fShape}] dilation 2 ${pad}`, async () => {
      const inputs = { x: { shape: xShape, data: randomData(size(xShape), 1) } };
      const dy = { shape: info.outShape, data: randomData(size(info.outShape), 2) };
      const attrs = { strides: 1, dilations: 2, pad, filterShape: fShape };
      const simd = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { ...inputs, dy }, attrs);
      disableSimdKernels(true);
      const js = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { ...inputs, dy }, attrs);
      expect(simd.shape).toEqual(fShape);
      expect(maxAbsDiff(simd.values, js.values)).toBeLessThan(1e-4);
      expect(js.values.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    });
  }
});

type PoolCase = { name: string; x: number[]; size: number; stride: number; pad: Pad; data?: 'ties' | 'negative' };
const poolCases: PoolCase[] = [
  { name: '2x2 s2 valid', x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
  { name: '2x2 s2 valid, ties (0/1 inputs)', x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', data: 'ties' },
  { name: '3x3 s2 same, ties (0/1 inputs)', x: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same', data: 'ties' },
  { name: '3x3 s2 same', x: [2, 7, 7, 4], size: 3, stride: 2, pad: 'same' },
  { name: '3x3 s1 same', x: [1, 5, 5, 2], size: 3, stride: 1, pad: 'same' },
  { name: '2x2 s2 valid odd', x: [2, 7, 7, 1], size: 2, stride: 2, pad: 'valid' },
  // Channels a multiple of 4: the SIMD loop.
  { name: '2x2 s2 valid 8 channels', x: [3, 6, 8, 8], size: 2, stride: 2, pad: 'valid' },
  { name: '2x2 s2 valid odd, 4 channels', x: [2, 7, 9, 4], size: 2, stride: 2, pad: 'valid' },
  { name: '2x2 s2 valid batch 1, ties', x: [1, 6, 6, 12], size: 2, stride: 2, pad: 'valid', data: 'ties' },
  { name: '2x2 s2 valid all-negative windows', x: [2, 6, 6, 8], size: 2, stride: 2, pad: 'valid', data: 'negative' },
  { name: '2x2 s2 same odd (padded windows)', x: [2, 7, 7, 4], size: 2, stride: 2, pad: 'same' },
  { name: '2x2 s1 valid (overlapping)', x: [2, 5, 5, 4], size: 2, stride: 1, pad: 'valid' },
];

describe('MaxPoolGrad matches the cpu backend', () => {
  for (const { name, x: xShape, size: filterSize, stride, pad, data } of poolCases) {
    it.each(paths)(`${name} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      const attrs = { filterSize, strides: stride, pad };
      const values = randomData(size(xShape), 7);
      const shaped =
        data === 'ties' ? values.map((v) => (v > 0 ? 1 : 0)) : data === 'negative' ? values.map((v) => v - 2) : values;
      const x = { shape: xShape, data: shaped };
      // The pooled output is an input of MaxPoolGrad; compute it with the cpu backend for both.
      const output = await runKernelOn('cpu', 'MaxPool', { x }, attrs);
      const dy = { shape: output.shape, data: randomData(size(output.shape), 8) };
      const inputs = { dy, input: x, output: { shape: output.shape, data: output.values } };
      const cpu = await runKernelOn('cpu', 'MaxPoolGrad', inputs, attrs);
      const wasm = await runKernelOn('wasm', 'MaxPoolGrad', inputs, attrs);
      expect(wasm.shape).toEqual(xShape);
      expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThan(1e-6);
      // Every pooled gradient lands somewhere: the nonzero count matches the cpu's.
      const nonzero = (v: Float32Array) => v.filter((e) => e !== 0).length;
      expect(nonzero(wasm.values)).toBe(nonzero(cpu.values));
      expect(nonzero(cpu.values)).toBeGreaterThan(0);
    });
  }
});

describe('BatchMatMul with transposed operands matches the cpu backend', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[1, 5, 7], [1, 7, 3], false, false],
    [[1, 7, 5], [1, 7, 3], true, false],
    [[1, 5, 7], [1, 3, 7], false, true],
    [[1, 7, 5], [1, 3, 7], true, true],
    [[3, 4, 6], [3, 5, 6], false, true],
    [[2, 6, 4], [1, 6, 5], true, false],
  ];
  for (const [aShape, bShape, transposeA, transposeB] of cases) {
    it(`a [${aShape}] b [${bShape}] tA=${transposeA} tB=${transposeB}`, async () => {
      await expectSameOnBoth('BatchMatMul', { a: aShape, b: bShape }, { transposeA, transposeB });
    });
  }
});

describe('Sum matches the cpu backend', () => {
  const cases: [number[], number[] | number | null, boolean][] = [
    [[4, 5, 5, 6], [0, 1, 2], false],
    [[4, 5, 5, 6], [0, 1, 2], true],
    [[4, 5, 6], [0], false],
    [[4, 5, 6], [2, 1, 0].slice(1), false],
    [[4, 5, 6], [1, 2], true],
    [[7, 3], -1, false],
    [[7, 3], null, false],
    // Columns a multiple of 4: the SIMD loop, over several row blocks and column blocks.
    [[3, 10, 10, 40], [0, 1, 2], false],
    [[1, 9, 9, 4], [0, 1, 2], true],
    [[300, 8], 0, false],
    [[2, 3, 36], [0, 1], false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it.each(paths)(`x [${shape}] axis ${JSON.stringify(axis)} keepDims=${keepDims} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSameOnBoth('Sum', { x: shape }, { axis, keepDims });
    });
  }
});

describe('Mean matches the cpu backend', () => {
  const cases: [number[], number[] | number | null, boolean][] = [
    [[4, 5, 5, 6], [0, 1, 2], false],
    [[4, 5, 5, 6], [0, 1, 2], true],
    [[4, 5, 6], [0], false],
    [[4, 5, 6], [1, 2], true],
    [[4, 5, 6], [0, 2], false],
    [[7, 3], -1, false],
    [[7, 3], null, false],
    // Columns a multiple of 4: the SIMD column sums, over several row blocks and column blocks.
    [[3, 10, 10, 40], [0, 1, 2], false],
    [[1, 9, 9, 4], [0, 1, 2], true],
    [[300, 8], 0, false],
    [[2, 3, 36], [0, 1], true],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it.each(paths)(`x [${shape}] axis ${JSON.stringify(axis)} keepDims=${keepDims} (%s)`, async (_, js) => {
      disableSimdKernels(js);
      await expectSameOnBoth('Mean', { x: shape }, { axis, keepDims });
    });
  }
});

describe('Tile matches the cpu backend', () => {
  const cases: [number[], number[]][] = [
    [
      [1, 1, 1, 48],
      [3, 5, 4, 1],
    ],
    [
      [1, 1, 1, 5],
      [2, 3, 3, 1],
    ],
    [
      [2, 3, 1, 3],
      [2, 1, 4, 3],
    ],
    [
      [3, 2],
      [1, 1],
    ],
    [
      [3, 2],
      [4, 3],
    ],
    [[7], [5]],
    [
      [2, 1, 3],
      [1, 7, 1],
    ],
    [
      [1, 2, 1, 2, 3],
      [3, 1, 2, 2, 1],
    ],
  ];
  for (const [shape, reps] of cases) {
    it(`float32 x [${shape}] reps [${reps}]`, async () => {
      await expectSameOnBoth('Tile', { x: shape }, { reps });
    });
  }
  for (const dtype of ['int32', 'bool'] as const) {
    it(`${dtype} x [2, 1, 3] reps [2, 3, 2]`, async () => {
      const run = (b: 'cpu' | 'wasm') =>
        onBackend(b, async () => {
          const x = tf.tensor([1, 0, 3, 0, 5, 1], [2, 1, 3], dtype);
          const out = tf.tile(x, [2, 3, 2]);
          const values = Array.from(await out.data());
          tf.dispose([x, out]);
          return { shape: out.shape, dtype: out.dtype, values };
        });
      const cpu = await run('cpu');
      expect(await run('wasm')).toEqual(cpu);
      expect(cpu.dtype).toBe(dtype);
    });
  }
  it('scalar and empty outputs', async () => {
    await expectSameOnBoth('Tile', { x: [2, 3] }, { reps: [2, 1] });
    const shape = await onBackend('wasm', () => {
      const out = tf.tile(tf.ones([2, 3]), [0, 2]);
      const s = out.shape;
      out.dispose();
      return s;
    });
    expect(shape).toEqual([0, 6]);
  });
});

describe('Cast matches the cpu backend', () => {
  it('float32 to float32 (shared data)', async () => {
    await expectSameOnBoth('Cast', { x: [3, 5] }, { dtype: 'float32' });
  });
  it('float32 to int32 (stock conversion)', async () => {
    const x = { shape: [4, 3], data: randomData(12, 3).map((v) => v * 10) };
    const cpu = await runKernelOn('cpu', 'Cast', { x }, { dtype: 'int32' });
    const wasm = await runKernelOn('wasm', 'Cast', { x }, { dtype: 'int32' });
    expect(Array.from(wasm.values)).toEqual(Array.from(cpu.values));
    expect(wasm.values.some((v) => v !== 0)).toBe(true);
  });
});

describe('Identity shares data and matches the cpu backend', () => {
  it('returns the same values', async () => {
    await expectSameOnBoth('Identity', { x: [3, 4] }, {});
  });
});

describe('Slice matches the cpu backend', () => {
  const cases: [string, number[], number[], number[]][] = [
    ["ZeroPadding2D's gradient: rows and columns cut, channels whole", [2, 7, 9, 5], [0, 1, 2, 0], [2, 5, 6, 5]],
    ['one contiguous block (leading axis)', [6, 4, 3], [2, 0, 0], [3, 4, 3]],
    ['innermost axis cut', [3, 4, 6], [1, 1, 2], [2, 3, 3]],
    ['rank 1', [11], [3], [5]],
    ['rank 2, the whole tensor', [4, 5], [0, 0], [4, 5]],
    ['rank 5, -1 size', [2, 3, 2, 4, 3], [1, 0, 1, 1, 0], [-1, 2, 1, -1, 3]],
  ];
  for (const [name, shape, begin, size] of cases) {
    it(`${name}: x [${shape}] begin [${begin}] size [${size}]`, async () => {
      await expectSameOnBoth('Slice', { x: shape }, { begin, size });
    });
  }
  for (const dtype of ['int32', 'bool'] as const) {
    it(`${dtype}, and an empty slice`, async () => {
      const run = (b: 'cpu' | 'wasm') =>
        onBackend(b, async () => {
          const x = tf.tensor([1, 0, 3, 0, 5, 1, 7, 0, 9, 1, 0, 1], [2, 3, 2], dtype);
          const outs = [tf.slice(x, [0, 1, 1], [2, 2, 1]), tf.slice(x, [1, 0, 0], [1, 0, 2])];
          const got = await Promise.all(
            outs.map(async (o) => ({ shape: o.shape, dtype: o.dtype, values: Array.from(await o.data()) })),
          );
          tf.dispose([x, ...outs]);
          return got;
        });
      const cpu = await run('cpu');
      expect(await run('wasm')).toEqual(cpu);
      expect(cpu[0].values.length).toBe(4);
    });
  }
});
