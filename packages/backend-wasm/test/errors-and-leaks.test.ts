import { isGraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { graftWasmKernels } from '../src/kernels/register';
import { numDataIds, randomData } from './compare-backends';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function expectGraftError(fn: () => unknown, code: string, mentions: RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isGraftError(caught)).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
  expect((caught as Error).message).toMatch(mentions);
}

describe('graft wasm kernels: registration', () => {
  it('adds the missing gradients and replaces the slow stock kernels', () => {
    const { added, replaced } = graftWasmKernels();
    expect(added).toEqual([
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'GraftClipByValueGrad',
      'GraftBatchNormSums',
      'GraftAdamUpdate',
    ]);
    expect(replaced.sort()).toEqual([
      'BatchMatMul',
      'Cast',
      'Conv2D',
      'Conv2DBackpropInput',
      'FusedBatchNorm',
      'Identity',
      'MaxPoolGrad',
      'Mean',
      'Slice',
      'Sum',
      'Tile',
    ]);
  });
});

describe('graft wasm kernels: bad inputs', () => {
  const x = () => tf.zeros([1, 4, 4, 2]);
  it('rejects NCHW data format', () => {
    tf.tidy(() =>
      expectGraftError(
        () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: x(), dy: tf.zeros([1, 2, 2, 3]) }, {
            strides: 1,
            pad: 'valid',
            dataFormat: 'NCHW',
            filterShape: [3, 3, 2, 3],
          } as never),
        'INVALID_OPTION',
        /NHWC.*got "NCHW"/,
      ),
    );
  });
  it('rejects non-float32 tensors', () => {
    tf.tidy(() =>
      expectGraftError(
        () =>
          tf.engine().runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            {
              dy: tf.zeros([1, 2, 2, 2], 'int32'),
              filter: tf.zeros([3, 3, 2, 1]),
            },
            { strides: 1, dilations: 1, pad: 'valid', inputShape: [1, 4, 4, 2] } as never,
          ),
        'INVALID_DATA',
        /float32 'dy', got "int32"/,
      ),
    );
  });
  it('rejects a filter that is not rank 4', () => {
    tf.tidy(() =>
      expectGraftError(
        () =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.zeros([1, 2, 2, 3]), filter: tf.zeros([3, 3, 2]) }, {
            strides: 1,
            pad: 'valid',
            dataFormat: 'NHWC',
            inputShape: [1, 4, 4, 2],
          } as never),
        'SHAPE_MISMATCH',
        /rank-4 filter, got .*filter \[3, 3, 2\]/,
      ),
    );
  });
});

describe('graft wasm kernels: no leaks', () => {
  it('each kernel leaves no tensors and no wasm heap blocks behind', () => {
    const t = (shape: number[], seed: number) =>
      tf.tensor(
        randomData(
          shape.reduce((a, b) => a * b, 1),
          seed,
        ),
        shape,
      );
    const x = t([2, 6, 6, 3], 1);
    const dy = t([2, 3, 3, 4], 2);
    const dyDw = t([2, 3, 3, 6], 3);
    const filter = t([3, 3, 3, 4], 4);
    const dwFilter = t([3, 3, 3, 2], 5);
    const m = t([12, 18], 6);
    const m4 = t([2, 5, 5, 4], 7);
    const tensors0 = tf.memory().numTensors;
    const data0 = numDataIds();
    const runs: [string, Record<string, tf.Tensor>, Record<string, unknown>][] = [
      ['Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }],
      [
        'Conv2DBackpropInput',
        { dy, filter },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] },
      ],
      [
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy: dyDw },
        { strides: 2, dilations: 1, pad: 'same', filterShape: [3, 3, 3, 2] },
      ],
      [
        'DepthwiseConv2dNativeBackpropInput',
        { dy: dyDw, filter: dwFilter },
        { strides: 2, dilations: 1, pad: 'same', inputShape: [2, 6, 6, 3] },
      ],
      ['MaxPoolGrad', { dy, input: x, output: dy }, { filterSize: 2, strides: 2, pad: 'valid' }],
      ['BatchMatMul', { a: m, b: m }, { transposeA: true, transposeB: false }],
      ['BatchMatMul', { a: m, b: m }, { transposeA: false, transposeB: true }],
      ['Sum', { x }, { axis: [0, 1, 2], keepDims: false }],
      ['Sum', { x }, { axis: [1, 2], keepDims: true }],
      ['Mean', { x }, { axis: [0, 1, 2], keepDims: false }],
      ['Mean', { x: m }, { axis: [0], keepDims: false }],
      ['Mean', { x }, { axis: [1, 2], keepDims: true }],
      ['Tile', { x: m }, { reps: [2, 3] }],
      [
        'DepthwiseConv2dNativeBackpropFilter',
        { x: m4, dy: m4 },
        { strides: 1, dilations: 1, pad: 'same', filterShape: [3, 3, 4, 1] },
      ],
      ['Identity', { x }, {}],
    ];
    for (const [name, inputs, attrs] of runs) {
      const before = tf.memory().numTensors;
      const out = tf.engine().runKernel(name, inputs as never, attrs as never) as tf.Tensor;
      expect(tf.memory().numTensors, name).toBe(before + 1);
      out.dispose();
      expect(tf.memory().numTensors, name).toBe(tensors0);
      expect(numDataIds(), name).toBe(data0);
    }
    tf.dispose([x, dy, dyDw, filter, dwFilter, m, m4]);
  });

  it('a CNN training step leaves no tensors behind', () => {
    const L = tfl.layers;
    const model = tfl.sequential({
      layers: [
        L.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        // Every graft kernel on the path: conv input gradients (forward-conv path), depthwise M1 (forward path)
        // and M2 / stride 2 (loop path), max-pool and bias gradients.
        L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
        L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }),
        L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
        L.maxPooling2d({ poolSize: 2 }),
        L.flatten(),
        L.dense({ units: 3 }),
      ],
    });
    const opt = tf.train.sgd(0.1);
    const xs = tf.tensor(randomData(4 * 8 * 8 * 2, 9), [4, 8, 8, 2]);
    const ys = tf.tensor(randomData(12, 10), [4, 3]);
    const step = () =>
      tf.tidy(() => {
        opt.minimize(() => tf.mean(tf.square(tf.sub(model.apply(xs) as tf.Tensor, ys))) as tf.Scalar);
      });
    step();
    const tensors0 = tf.memory().numTensors;
    const data0 = numDataIds();
    step();
    step();
    expect(tf.memory().numTensors).toBe(tensors0);
    expect(numDataIds()).toBe(data0);
    tf.dispose([xs, ys]);
    model.dispose();
    opt.dispose();
  });
});
