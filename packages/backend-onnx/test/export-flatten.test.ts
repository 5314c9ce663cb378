import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import { expectRoundTrip, seedWeights } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (layers: tfl.layers.Layer[]) => tfl.sequential({ layers });

// tfjs' channelsFirst Flatten moves axis 1 last before flattening; an export that skips it permutes the features.
describe("export: Flatten with dataFormat 'channelsFirst' matches tfjs", () => {
  it.each([
    [
      'rank-4 input',
      () =>
        seq([
          tfl.layers.flatten({ inputShape: [4, 3, 2], dataFormat: 'channelsFirst' }),
          tfl.layers.dense({ units: 3 }),
        ]),
    ],
    [
      'rank-3 input',
      () =>
        seq([tfl.layers.flatten({ inputShape: [3, 5], dataFormat: 'channelsFirst' }), tfl.layers.dense({ units: 2 })]),
    ],
    [
      'after a conv (NCHW inside the graph)',
      () =>
        seq([
          tfl.layers.conv2d({ inputShape: [4, 3, 2], filters: 3, kernelSize: 2 }),
          tfl.layers.flatten({ dataFormat: 'channelsFirst' }),
          tfl.layers.dense({ units: 4 }),
        ]),
    ],
  ])('%s', async (_name, build) => {
    const model = build();
    seedWeights(model, 5);
    try {
      await expectRoundTrip(model);
    } finally {
      model.dispose();
    }
  });
});
