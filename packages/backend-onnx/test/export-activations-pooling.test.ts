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
  seedWeights(model, name.length + 3);
  files[name] = await expectRoundTrip(model, batch);
  model.dispose();
}

const ACTIVATIONS = [
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'softmax',
  'linear',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
  'hardSigmoid',
  'logSoftmax',
] as const;
// logSoftmax is registered in tfjs-layers but missing from its ActivationIdentifier type
type Act = Parameters<typeof tfl.layers.activation>[0]['activation'];

describe('export: activations and pooling', () => {
  it('every tfjs activation, as a Dense activation and on NCHW feature maps', async () => {
    for (const activation of ACTIVATIONS) {
      await check(`act_dense_${activation}`, [
        tfl.layers.dense({ inputShape: [6], units: 5, activation: activation as Act }),
      ]);
      // after a conv the tensor lives in NCHW: softmax must still act on channels
      await check(`act_conv_${activation}`, [
        tfl.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 1 }),
        tfl.layers.activation({ activation: activation as Act }),
      ]);
    }
  });

  it('ReLU (with max_value 6), LeakyReLU, ELU, ThresholdedReLU and Softmax layers', async () => {
    await check('relu_layer', [tfl.layers.reLU({ inputShape: [7] })]);
    await check('relu6_layer', [
      tfl.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 1 }),
      tfl.layers.reLU({ maxValue: 6 }),
    ]);
    await check('leaky', [tfl.layers.leakyReLU({ inputShape: [7], alpha: 0.2 })]);
    await check('elu_layer', [tfl.layers.elu({ inputShape: [7] })]);
    await check('thresholded', [tfl.layers.thresholdedReLU({ inputShape: [7], theta: 0.1 })]);
    await check('softmax_conv', [
      tfl.layers.conv2d({ inputShape: [3, 3, 2], filters: 4, kernelSize: 1 }),
      tfl.layers.softmax({ axis: -1 }),
    ]);
    await check('softmax_layer', [tfl.layers.softmax({ inputShape: [6] })]);
  });

  it('MaxPooling2D and AveragePooling2D, valid and same (padding excluded from averages)', async () => {
    await check('maxpool_valid', [tfl.layers.maxPooling2d({ inputShape: [6, 6, 2], poolSize: 2 })]);
    await check('maxpool_same', [
      tfl.layers.maxPooling2d({ inputShape: [7, 7, 2], poolSize: 3, strides: 2, padding: 'same' }),
    ]);
    await check('avgpool_valid', [
      tfl.layers.averagePooling2d({ inputShape: [7, 7, 2], poolSize: [2, 3], strides: 2 }),
    ]);
    await check('avgpool_same', [
      tfl.layers.averagePooling2d({ inputShape: [7, 7, 2], poolSize: 3, strides: 2, padding: 'same' }),
    ]);
    await check('avgpool_same_s1', [
      tfl.layers.averagePooling2d({ inputShape: [5, 5, 1], poolSize: 3, strides: 1, padding: 'same' }),
    ]);
  });

  it('GlobalAveragePooling2D and GlobalMaxPooling2D', async () => {
    await check('gap', [
      tfl.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3 }),
      tfl.layers.globalAveragePooling2d({}),
    ]);
    await check('gmp', [tfl.layers.globalMaxPooling2d({ inputShape: [5, 4, 3] }), tfl.layers.dense({ units: 2 })]);
  });

  afterAll(() => {
    if (!hasPythonOnnx()) return;
    expect(pythonCheck(files)).toEqual([]);
  });
});
