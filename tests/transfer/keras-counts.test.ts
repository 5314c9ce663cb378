import { type TransferModel, transfer } from '@graftjs/core';
import { mobilenetV1, mobilenetV2 } from '@graftjs/zoo';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';

// Keras' rule for the trainable variables after `base.trainable = True` (base called with training=False):
// a conv kernel (+ bias if it has one), a depthwise kernel (+ bias), BatchNorm gamma and beta; moving mean and
// variance never. Counted from each layer's class and config, not from tfjs' trainable lists.
function kerasTrainable(layer: tfl.layers.Layer): number {
  const config = layer.getConfig() as { useBias?: boolean; center?: boolean; scale?: boolean };
  switch (layer.getClassName()) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'Dense':
      return 1 + (config.useBias ? 1 : 0);
    case 'BatchNormalization':
      return (config.center === false ? 0 : 1) + (config.scale === false ? 0 : 1);
    default:
      return 0;
  }
}

/** Base layers up to the feature layer, without the input (Keras' `base.layers[1:]`). */
function baseLayers(model: tfl.LayersModel, featureLayer: string): tfl.layers.Layer[] {
  const end = model.layers.findIndex((l) => l.name === featureLayer) + 1;
  return model.layers.slice(0, end).filter((l) => l.getClassName() !== 'InputLayer');
}

const HEAD = 2; // Dense kernel + bias

describe.skipIf(!HAVE_ASSETS)('trainable-variable counts match Keras after unfreeze', () => {
  let model: TransferModel | null = null;
  afterEach(async () => {
    await model?.dispose();
    model = null;
  });

  it('MobileNet v1 0.25: 14 after unfreeze({ last: 12 }) and 83 after unfreeze(), the figures Keras gives', async () => {
    const base = await mobilenetV1({ alpha: 0.25, from: `${ASSETS}/mobilenet_v1_0.25_224/layers` });
    const layers = baseLayers(base.model, base.featureLayer as string);
    model = transfer(base).freeze().addHead(5);
    model.unfreeze({ last: 12 });
    const last12 = layers.slice(-12).reduce((n, l) => n + kerasTrainable(l), 0) + HEAD;
    expect(model.net.trainableWeights.length).toBe(last12);
    expect(last12).toBe(14);
    model.freeze().unfreeze();
    const all = layers.reduce((n, l) => n + kerasTrainable(l), 0) + HEAD;
    expect(model.net.trainableWeights.length).toBe(all);
    expect(all).toBe(83);
    // moving statistics are never trainable, and BatchNorm's gamma/beta are
    const names = model.net.trainableWeights.map((w) => w.originalName);
    expect(names.filter((n) => /moving_(mean|variance)/.test(n))).toEqual([]);
    expect(names).toContain('conv_pw_13_bn/gamma');
    expect(names).toContain('conv_pw_13_bn/beta');
  });

  it("MobileNetV2 0.35 (Teachable Machine's weights): the Keras rule's 14 and 158", async () => {
    const base = await mobilenetV2({ alpha: 0.35, from: `${ASSETS}/mobilenet_v2_0.35_224_tm` });
    const layers = baseLayers(base.model, base.featureLayer as string);
    model = transfer(base).freeze().addHead(5);
    expect(model.net.trainableWeights.length).toBe(HEAD);
    model.unfreeze({ last: 12 });
    const last12 = layers.slice(-12).reduce((n, l) => n + kerasTrainable(l), 0) + HEAD;
    expect(model.net.trainableWeights.length).toBe(last12);
    expect(last12).toBe(14);
    model.unfreeze();
    const all = layers.reduce((n, l) => n + kerasTrainable(l), 0) + HEAD;
    expect(model.net.trainableWeights.length).toBe(all);
    // Conv1 + bn (3), block 0 (6), 16 blocks of 9, Conv_1 + bn (3), the head (2)
    expect(all).toBe(3 + 6 + 16 * 9 + 3 + HEAD);
  });
});
