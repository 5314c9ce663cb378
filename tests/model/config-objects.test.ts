import { sequential } from '@graftjs/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

/** The layer table without the parameter counts' alignment: class name, output shape and parameters per layer. */
function layers(model: { net: { layers: { getClassName(): string; outputShape: unknown; countParams(): number }[] } }) {
  return model.net.layers.map((l) => [l.getClassName(), JSON.stringify(l.outputShape), l.countParams()]);
}

describe('builder methods take the tfjs config-object form', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('builds the same network as the positional form', async () => {
    const positional = sequential({ inputShape: [12, 12, 3], seed: 1 })
      .conv2d(8, 3, { padding: 'same', activation: 'relu', strides: 1 })
      .depthwiseConv2d(3, { padding: 'same' })
      .maxPool2d(2)
      .avgPool2d(3, { strides: 1 })
      .activation('relu')
      .dropout(0.25)
      .reshape([128])
      .dense(16, { activation: 'relu' })
      .dense(3, { activation: 'softmax' });
    const config = sequential({ inputShape: [12, 12, 3], seed: 1 })
      .conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', strides: 1 })
      .depthwiseConv2d({ kernelSize: 3, padding: 'same' })
      .maxPool2d({ poolSize: 2 })
      .avgPool2d({ poolSize: 3, strides: 1 })
      .activation({ activation: 'relu' })
      .dropout({ rate: 0.25 })
      .reshape({ targetShape: [128] })
      .dense({ units: 16, activation: 'relu' })
      .dense({ units: 3, activation: 'softmax' });
    expect(layers(config)).toEqual(layers(positional));
    expect(config.net.layers[0].getConfig()).toMatchObject({ filters: 8, kernelSize: [3, 3], activation: 'relu' });
    await positional.dispose();
    await config.dispose();
  });

  it('checks the config form as the positional one', () => {
    const model = sequential({ inputShape: [8, 8, 1] });
    expect(() => model.conv2d({ filters: 4 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_LAYER', message: expect.stringContaining('kernelSize') }),
    );
    expect(() => model.dense({ units: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_LAYER' }));
    expect(() => model.maxPool2d({ poolSize: [2, 2, 2] as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_LAYER' }),
    );
    expect(() => model.dropout({ rate: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_LAYER' }));
  });
});
