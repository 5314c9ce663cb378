import { backend_util } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, randomData, runKernelOn } from './compare-backends';

type Pad = 'valid' | 'same';
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function expectSameOnBoth(kernel: string, inputs: Record<string, number[]>, attrs: Record<string, unknown>) {
  let seed = 1;
  const data: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, shape] of Object.entries(inputs)) data[k] = { shape, data: randomData(size(shape), seed++) };
  const cpu = await runKernelOn('cpu', kernel, data, attrs);
  const wasm = await runKernelOn('wasm', kernel, data, attrs);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThan(1e-4);
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
];

describe('Conv2D gradients match the cpu backend', () => {
  for (const [name, xShape, fShape, stride, pad] of convCases) {
    const info = backend_util.computeConv2DInfo(xShape as never, fShape as never, stride, 1, pad);
    const dyShape = info.outShape;
    it(`Conv2DBackpropFilter ${name}`, async () => {
      await expectSameOnBoth(
        'Conv2DBackpropFilter',
        { x: xShape, dy: dyShape },
        { strides: stride, pad, dataFormat: 'NHWC', filterShape: fShape },
      );
    });
    it(`Conv2DBackpropInput ${name}`, async () => {
      await expectSameOnBoth(
        'Conv2DBackpropInput',
        { dy: dyShape, filter: fShape },
        { strides: stride, pad, dataFormat: 'NHWC', inputShape: xShape },
      );
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
];

describe('DepthwiseConv2dNative gradients match the cpu backend', () => {
  for (const [name, xShape, fShape, stride, pad] of dwCases) {
    const info = backend_util.computeConv2DInfo(xShape as never, fShape as never, stride, 1, pad, undefined, true);
    const dyShape = info.outShape;
    it(`DepthwiseConv2dNativeBackpropFilter ${name}`, async () => {
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

const poolCases: [string, number[], number, number, Pad, boolean?][] = [
  ['2x2 s2 valid', [2, 8, 8, 3], 2, 2, 'valid'],
  ['2x2 s2 valid, ties (0/1 inputs)', [2, 8, 8, 3], 2, 2, 'valid', true],
  ['3x3 s2 same, ties (0/1 inputs)', [2, 7, 7, 2], 3, 2, 'same', true],
  ['3x3 s2 same', [2, 7, 7, 4], 3, 2, 'same'],
  ['3x3 s1 same', [1, 5, 5, 2], 3, 1, 'same'],
  ['2x2 s2 valid odd', [2, 7, 7, 1], 2, 2, 'valid'],
];

describe('MaxPoolGrad matches the cpu backend', () => {
  for (const [name, xShape, filterSize, stride, pad, ties] of poolCases) {
    it(name, async () => {
      const attrs = { filterSize, strides: stride, pad };
      const values = randomData(size(xShape), 7);
      const x = { shape: xShape, data: ties ? values.map((v) => (v > 0 ? 1 : 0)) : values };
      // The pooled output is an input of MaxPoolGrad; compute it with the cpu backend for both.
      const output = await runKernelOn('cpu', 'MaxPool', { x }, attrs);
      const dy = { shape: output.shape, data: randomData(size(output.shape), 8) };
      const inputs = { dy, input: x, output: { shape: output.shape, data: output.values } };
      const cpu = await runKernelOn('cpu', 'MaxPoolGrad', inputs, attrs);
      const wasm = await runKernelOn('wasm', 'MaxPoolGrad', inputs, attrs);
      expect(wasm.shape).toEqual(xShape);
      expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThan(1e-6);
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
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`x [${shape}] axis ${JSON.stringify(axis)} keepDims=${keepDims}`, async () => {
      await expectSameOnBoth('Sum', { x: shape }, { axis, keepDims });
    });
  }
});

describe('Identity shares data and matches the cpu backend', () => {
  it('returns the same values', async () => {
    await expectSameOnBoth('Identity', { x: [3, 4] }, {});
  });
});
