import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRoundTrip, hasPythonOnnx, pythonCheck, seedWeights } from './helpers';

const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function check(name: string, layers: tfl.layers.Layer[], batch = 2) {
  const model = tfl.sequential({ layers });
  seedWeights(model, name.length);
  files[name] = await expectRoundTrip(model, batch);
  model.dispose();
}

describe('export: Dense and convolutions', () => {
  it('Dense with and without bias, rank 2 and rank 3 inputs', async () => {
    await check(
      'dense',
      [
        tfl.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
      3,
    );
    await check('dense_nobias', [tfl.layers.dense({ inputShape: [5], units: 4, useBias: false })]);
    await check('dense_rank3', [tfl.layers.dense({ inputShape: [4, 5], units: 3, activation: 'tanh' })]);
  });

  it('Conv2D: valid and same, strides, dilation, bias or not', async () => {
    await check('conv_valid', [
      tfl.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
    ]);
    await check('conv_same_s2_odd', [
      tfl.layers.conv2d({
        inputShape: [7, 7, 2],
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: false,
      }),
    ]);
    await check('conv_same_s2_even', [
      tfl.layers.conv2d({ inputShape: [8, 6, 2], filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same' }),
    ]);
    await check('conv_dilated', [
      tfl.layers.conv2d({ inputShape: [9, 9, 2], filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }),
    ]);
    await check('conv_rect_valid', [
      tfl.layers.conv2d({ inputShape: [7, 5, 1], filters: 2, kernelSize: [2, 3], strides: [2, 1] }),
    ]);
  });

  it('DepthwiseConv2D (depthMultiplier) and SeparableConv2D', async () => {
    await check('dw_same_s2', [
      tfl.layers.depthwiseConv2d({
        inputShape: [7, 7, 3],
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        depthMultiplier: 2,
        activation: 'relu6',
      }),
    ]);
    await check('dw_valid_nobias', [
      tfl.layers.depthwiseConv2d({ inputShape: [6, 6, 4], kernelSize: 3, useBias: false }),
    ]);
    await check('separable', [
      tfl.layers.separableConv2d({
        inputShape: [8, 8, 3],
        filters: 5,
        kernelSize: 3,
        padding: 'same',
        depthMultiplier: 2,
      }),
    ]);
  });

  it('BatchNormalization on images and vectors, with and without scale/center', async () => {
    await check('bn_conv', [
      tfl.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 1 }),
      tfl.layers.batchNormalization({ epsilon: 0.01 }),
    ]);
    await check('bn_input_nhwc', [tfl.layers.batchNormalization({ inputShape: [4, 4, 3] })]);
    await check('bn_dense', [
      tfl.layers.dense({ inputShape: [4], units: 6 }),
      tfl.layers.batchNormalization({ scale: false, center: false }),
    ]);
    await check('bn_rank3', [tfl.layers.batchNormalization({ inputShape: [3, 5] })]);
  });

  afterAll(() => {
    if (!hasPythonOnnx()) return;
    expect(pythonCheck(files)).toEqual([]);
  });
});
