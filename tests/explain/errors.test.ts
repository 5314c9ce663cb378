import { explain, type GraphModelLike, isGraftError, sequential, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

const cnn = () => {
  const model = sequential({ inputShape: [8, 8, 1], seed: 1 })
    .conv2d(2, 3, { padding: 'same', activation: 'relu', name: 'features' })
    .globalAvgPool2d()
    .dense(3, { activation: 'softmax', name: 'classes' });
  model.classNames = ['a', 'b', 'c'];
  return model;
};

async function expectCode(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isGraftError(e) ? e.code : e).toBe(code);
  if (message) expect((e as Error).message).toMatch(message);
}

/** A small tfjs LayersModel base that takes RGB images (no zoo weights needed). */
function tinyBase(): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 3] });
  const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', name: 'base_conv' }).apply(input);
  return tfl.model({ inputs: input, outputs: conv as tfl.SymbolicTensor });
}

describe('explain refuses what it cannot explain, with a code, and leaves the model as it was', () => {
  const x = () => tf.randomUniform([8, 8, 1], 0, 1, 'float32', 1);
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('MODEL_DISPOSED for a disposed model', async () => {
    const model = cnn();
    model.dispose();
    await expectCode(explain(model, [[0]]), 'MODEL_DISPOSED', /explain\(\)/);
  });

  it('NO_CONV_LAYER for an MLP, even one on images with a preprocessing layer', async () => {
    const mlp = sequential({ inputShape: [8, 8, 1] })
      .rescaling(1 / 255)
      .flatten()
      .dense(2, { activation: 'softmax' });
    await expectCode(explain(mlp, x()), 'NO_CONV_LAYER', /rescaling/i);
  });

  it('UNKNOWN_LAYER for a name not on the way to the output (the input layer too); INVALID_OPTION for a 2-D one', async () => {
    const model = cnn();
    await expectCode(explain(model, x(), { layer: 'nope' }), 'UNKNOWN_LAYER', /features/);
    await expectCode(explain(model, x(), { layer: model.net.inputs[0].sourceLayer.name }), 'UNKNOWN_LAYER');
    await expectCode(explain(model, x(), { layer: 'classes' }), 'INVALID_OPTION', /4-D/);
  });

  it('INDEX_OUT_OF_RANGE for a class index the output does not have; UNKNOWN_CLASS for a name', async () => {
    const model = cnn();
    await expectCode(explain(model, x(), { classIndex: 3 }), 'INDEX_OUT_OF_RANGE', /\[0, 2\].*got 3/);
    await expectCode(explain(model, x(), { classIndex: -1 }), 'INDEX_OUT_OF_RANGE');
    await expectCode(explain(model, x(), { classIndex: 1.5 }), 'INVALID_OPTION');
    await expectCode(explain(model, x(), { label: 'z' }), 'UNKNOWN_CLASS', /a, b, c/);
    await expectCode(explain(model, x(), { label: 'a', classIndex: 0 }), 'INVALID_OPTION');
    const e = await explain(model, x(), { label: 'c' });
    expect([e.classIndex, e.label]).toEqual([2, 'c']);
  });

  it('SHAPE_MISMATCH for a sample of the wrong shape or a batch of several; CHANNEL_MISMATCH for a grey image', async () => {
    const model = cnn();
    await expectCode(explain(model, tf.zeros([8, 8, 3])), 'SHAPE_MISMATCH', /\[8, 8, 1\]/);
    await expectCode(explain(model, tf.zeros([6, 6, 1])), 'SHAPE_MISMATCH');
    await expectCode(explain(model, tf.zeros([2, 8, 8, 1])), 'SHAPE_MISMATCH', /one sample.*batch of 2/);
    const onImages = transfer(tinyBase(), { preprocessing: { size: [16, 16], range: [0, 1] }, seed: 1 }).addHead(2);
    await expectCode(explain(onImages, tf.zeros([20, 20, 1])), 'CHANNEL_MISMATCH');
    // decoded pixels of any size are resized for the network; the heatmap has their size
    const pixels = { data: new Uint8Array(20 * 12 * 4).map((_, i) => (i * 37) % 256), width: 20, height: 12 };
    const e = await explain(onImages, pixels);
    expect([e.height, e.width, e.grid]).toEqual([12, 20, [14, 14]]);
    onImages.dispose();
  });

  it('GRAPH_MODEL_NOT_TRAINABLE for a base that runs outside tfjs-layers; NOT_BUILT without a head', async () => {
    const graph: GraphModelLike = {
      execute: (t) => tf.mean(t as tf.Tensor, [1, 2]),
      executeAsync: async (t) => tf.mean(t as tf.Tensor, [1, 2]),
      inputs: [{ name: 'x', shape: [-1, 8, 8, 3] }],
      outputs: [{ name: 'y' }],
    };
    const model = transfer(graph, { seed: 1 }).addHead(2);
    await expectCode(explain(model, tf.zeros([8, 8, 3])), 'GRAPH_MODEL_NOT_TRAINABLE');
    await expectCode(explain(transfer(tinyBase()), tf.zeros([16, 16, 3])), 'NOT_BUILT');
  });

  it('nothing leaks and the model still predicts after every refusal', async () => {
    const model = cnn();
    const image = x();
    await model.predict(image);
    const before = tf.memory().numTensors;
    const bad = [{ layer: 'nope' }, { layer: 'classes' }, { classIndex: 9 }, { label: 'z' }];
    for (const options of bad) await explain(model, image, options).catch(() => {});
    for (const input of [tf.zeros([8, 8, 3]), tf.zeros([2, 8, 8, 1])]) {
      await explain(model, input).catch(() => {});
      input.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect((await model.predict(image, { batch: false })).probabilities).toHaveLength(3);
    await expectCode(explain(model, image, null as never), 'INVALID_OPTION');
    await expectCode(explain({} as never, image), 'INVALID_OPTION');
    image.dispose();
    model.dispose();
  });
});
