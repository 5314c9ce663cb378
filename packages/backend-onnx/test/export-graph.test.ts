import { isGraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src';
import { expectRoundTrip, hasPythonOnnx, pythonCheck, seedWeights } from './helpers';

const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function checkModel(name: string, model: tfl.LayersModel, batch = 2) {
  seedWeights(model, name.length + 11);
  files[name] = await expectRoundTrip(model, batch);
  model.dispose();
}

const seq = (layers: tfl.layers.Layer[]) => tfl.sequential({ layers });

describe('export: shapes, merges, padding and nested models', () => {
  it('Flatten keeps tfjs NHWC order; Reshape, Permute, Dropout', async () => {
    await checkModel(
      'flatten_conv',
      seq([
        tfl.layers.conv2d({ inputShape: [4, 3, 2], filters: 3, kernelSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 4 }),
      ]),
    );
    await checkModel(
      'reshape',
      seq([
        tfl.layers.dense({ inputShape: [12], units: 24 }),
        tfl.layers.reshape({ targetShape: [2, 3, 4] }),
        tfl.layers.conv2d({ filters: 2, kernelSize: 1 }),
        tfl.layers.reshape({ targetShape: [-1] }),
      ]),
    );
    await checkModel('permute', seq([tfl.layers.permute({ inputShape: [2, 3, 4], dims: [3, 1, 2] })]));
  });

  it('Add, Concatenate and the other merges in a functional model', async () => {
    const input = tfl.input({ shape: [5, 5, 3] });
    const a = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
    const cat = tfl.layers.concatenate().apply([sum, input]) as tfl.SymbolicTensor;
    const mul = tfl.layers.multiply().apply([a, b, sum]) as tfl.SymbolicTensor;
    const avg = tfl.layers.average().apply([a, b]) as tfl.SymbolicTensor;
    const max = tfl.layers.maximum().apply([a, b]) as tfl.SymbolicTensor;
    const min = tfl.layers.minimum().apply([a, b]) as tfl.SymbolicTensor;
    const all = tfl.layers.concatenate({ axis: 3 }).apply([cat, mul, avg, max, min]) as tfl.SymbolicTensor;
    const add3 = tfl.layers.add().apply([a, b, sum]) as tfl.SymbolicTensor;
    const flat = tfl.layers
      .concatenate({ axis: 1 })
      .apply([
        tfl.layers.flatten().apply(all) as tfl.SymbolicTensor,
        tfl.layers.flatten().apply(add3) as tfl.SymbolicTensor,
      ]);
    await checkModel('merges', tfl.model({ inputs: input, outputs: flat as tfl.SymbolicTensor }));
    // concatenation over height of NHWC tensors that live in NCHW
    const i2 = tfl.input({ shape: [3, 3, 2] });
    const c2 = tfl.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(i2) as tfl.SymbolicTensor;
    await checkModel(
      'concat_h',
      tfl.model({ inputs: i2, outputs: tfl.layers.concatenate({ axis: 1 }).apply([c2, i2]) as tfl.SymbolicTensor }),
    );
  });

  it('ZeroPadding2D (asymmetric), Cropping2D, UpSampling2D nearest and bilinear', async () => {
    await checkModel(
      'zeropad',
      seq([
        tfl.layers.zeroPadding2d({
          inputShape: [4, 4, 2],
          padding: [
            [1, 2],
            [0, 1],
          ],
        }),
        tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2 }),
      ]),
    );
    await checkModel('zeropad_int', seq([tfl.layers.zeroPadding2d({ inputShape: [3, 3, 1], padding: 1 })]));
    await checkModel(
      'crop',
      seq([
        tfl.layers.cropping2D({
          inputShape: [6, 5, 2],
          cropping: [
            [1, 2],
            [2, 0],
          ],
        }),
      ]),
    );
    await checkModel('upsample', seq([tfl.layers.upSampling2d({ inputShape: [3, 4, 2], size: [2, 3] })]));
    await checkModel(
      'upsample_bilinear',
      seq([tfl.layers.upSampling2d({ inputShape: [3, 4, 2], size: [2, 2], interpolation: 'bilinear' })]),
    );
  });

  it('nested models (functional inside functional, sequential inside sequential) are flattened', async () => {
    const innerIn = tfl.input({ shape: [6, 6, 3] });
    const innerMid = tfl.layers
      .conv2d({ filters: 4, kernelSize: 3, activation: 'relu' })
      .apply(innerIn) as tfl.SymbolicTensor;
    const innerOut = tfl.layers.globalAveragePooling2d({}).apply(innerMid) as tfl.SymbolicTensor;
    const inner = tfl.model({ inputs: innerIn, outputs: innerOut, name: 'inner_base' });
    const outerIn = tfl.input({ shape: [6, 6, 3] });
    const feats = inner.apply(outerIn) as tfl.SymbolicTensor;
    const head = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(feats) as tfl.SymbolicTensor;
    await checkModel('nested_functional', tfl.model({ inputs: outerIn, outputs: head }));

    const base = seq([tfl.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3 }), tfl.layers.flatten()]);
    await checkModel('nested_sequential', seq([base, tfl.layers.dense({ units: 2 })]));
  });

  it("@graftjs/heads' L2Normalize layer (GraftL2Normalize)", async () => {
    const heads = await import('@graftjs/heads').catch((e: Error) => {
      console.warn(`[backend-onnx] @graftjs/heads not importable, L2Normalize export test skipped: ${e.message}`);
      return null;
    });
    if (!heads) return;
    const model = seq([tfl.layers.dense({ inputShape: [6], units: 4 }), new heads.L2Normalize({ name: 'l2' })]);
    await checkModel('l2_normalize', model);
  });

  it('an unsupported layer fails with ONNX_UNSUPPORTED_LAYER naming the layer and its class', async () => {
    const model = seq([tfl.layers.conv1d({ inputShape: [8, 2], filters: 2, kernelSize: 3, name: 'my_conv1d' })]);
    const err = await exportOnnx({ net: model }).catch((e) => e);
    expect(isGraftError(err, 'ONNX_UNSUPPORTED_LAYER')).toBe(true);
    expect(err.message).toContain('"my_conv1d"');
    expect(err.message).toContain('Conv1D');
    model.dispose();
  });

  afterAll(() => {
    if (!hasPythonOnnx()) return;
    expect(pythonCheck(files)).toEqual([]);
  });
});
