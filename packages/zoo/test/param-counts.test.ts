import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { mobilenetV1, mobilenetV2, resnet50, vgg16 } from '../src/index';
import { expectGraftError } from './helpers/expect-graft-error';

// Keras' own counts for include_top=False (keras.applications, every weight incl. BatchNorm moving statistics).
describe('architectures match Keras parameter counts', () => {
  it.each([
    ['vgg16', () => vgg16({ inputShape: [32, 32, 3] }), 14_714_688, 'block5_pool'],
    ['resnet50', () => resnet50({ inputShape: [32, 32, 3] }), 23_587_712, 'conv5_block3_out'],
    ['mobilenetV2 1.0', () => mobilenetV2({ alpha: 1, inputShape: [32, 32, 3] }), 2_257_984, 'out_relu'],
    ['mobilenetV2 0.35 (odd input)', () => mobilenetV2({ alpha: 0.35, inputShape: [33, 35, 3] }), 410_208, 'out_relu'],
    ['mobilenetV1 1.0', () => mobilenetV1({ alpha: 1, inputShape: [32, 32, 3] }), 3_228_864, 'conv_pw_13_relu'],
    ['mobilenetV1 0.25', () => mobilenetV1({ alpha: 0.25, inputShape: [32, 32, 3] }), 218_544, 'conv_pw_13_relu'],
  ])('%s', async (_name, build, params, featureLayer) => {
    const before = tf.memory().numTensors;
    const b = await build();
    expect(b.kind).toBe('layers');
    expect(b.model.countParams()).toBe(params);
    expect(b.featureLayer).toBe(featureLayer);
    expect(b.model.getLayer(featureLayer).name).toBe(featureLayer);
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('includeTop adds the Keras classifier (MobileNet v1 0.25: 475,544 like the published model)', async () => {
    const b = await mobilenetV1({ alpha: 0.25, includeTop: true });
    expect(b.model.countParams()).toBe(475_544);
    expect(b.model.outputs[0].shape).toEqual([null, 1000]);
    expect(b.inputShape).toEqual([224, 224, 3]);
    expect(b.preprocessing).toEqual({ size: [224, 224], range: [-1, 1], channelOrder: 'rgb' });
    b.model.dispose();
  });

  it('a seed makes random weights reproducible, and different seeds differ', async () => {
    const first = (seed: number) => mobilenetV1({ alpha: 0.25, inputShape: [32, 32, 3], seed });
    const [a, b, c] = await Promise.all([first(7), first(7), first(8)]);
    const w = (m: typeof a) => m.model.getLayer('conv_pw_5').getWeights()[0];
    expect(Array.from(w(a).dataSync())).toEqual(Array.from(w(b).dataSync()));
    expect(Array.from(w(a).dataSync())).not.toEqual(Array.from(w(c).dataSync()));
    for (const m of [a, b, c]) m.model.dispose();
  });

  it('ResNet50 and VGG16 carry Keras caffe preprocessing (BGR, mean, 0..255)', async () => {
    const r = await resnet50({ inputShape: [32, 32, 3] });
    expect(r.preprocessing).toEqual({
      size: [32, 32],
      range: [0, 255],
      channelOrder: 'bgr',
      mean: [103.939, 116.779, 123.68],
    });
    r.model.dispose();
  });
});

describe('builder options are checked', () => {
  it.each([
    [{ inputShape: [32, 32] }, /inputShape \[height, width, 3\]/],
    [{ inputShape: [32, 32, 1] }, /inputShape/],
    [{ inputShape: [16, 16, 3] }, /at least 32x32/],
    [{ alpha: -1 }, /alpha to be a positive number; got -1/],
    [{ classes: 0 }, /classes to be a positive integer; got 0/],
    [{ weights: 'resnet' }, /weights 'imagenet' or null; got "resnet"/],
    [{ seed: 1.5 }, /seed to be an integer; got 1.5/],
    [{ weights: 'imagenet', includeTop: true, classes: 10 }, /classes 1000 with includeTop/],
    [{ aplha: 0.25 }, /got aplha/],
  ])('%o', async (options, message) => {
    const before = tf.memory().numTensors;
    await expectGraftError(mobilenetV1(options as never), 'INVALID_OPTION', message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('alpha is refused by the builders without a width multiplier', async () => {
    await expectGraftError(resnet50({ alpha: 0.5 } as never), 'INVALID_OPTION', /got alpha/);
  });

  it('ImageNet weights for a configuration nobody published: UNKNOWN_BACKBONE listing the known names', async () => {
    const before = tf.memory().numTensors;
    await expectGraftError(
      mobilenetV2({ weights: 'imagenet' }),
      'UNKNOWN_BACKBONE',
      /mobilenet_v1_0\.25_224/,
      /darknet_tiny/,
      /got "mobilenet_v2_1\.00_224"/,
    );
    // the half-built model was disposed
    expect(tf.memory().numTensors).toBe(before);
  });
});
