import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRoundTrip, hasPythonOnnx, pythonCheck, rng } from './helpers';

// The zoo builders are used when @graftjs/zoo is importable; the block stacks below always run.
const zoo = await import('@graftjs/zoo').catch((e: Error) => {
  console.warn(`[backend-onnx] @graftjs/zoo not importable, zoo MobileNet export tests skipped: ${e.message}`);
  return null;
});

const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Non-trivial BatchNormalization statistics (builders leave gamma 1, beta 0, mean 0, variance 1). */
function seedBatchNorms(model: tfl.LayersModel, seed: number): void {
  const r = rng(seed);
  for (const layer of model.layers.flatMap((l) => ('layers' in l ? (l as tfl.LayersModel).layers : [l]))) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w) => {
      const n = w.shape[0] as number;
      const short = (w.originalName ?? w.name).split('/').pop() as string;
      const [lo, hi] = short.startsWith('gamma') || short.startsWith('moving_variance') ? [0.5, 1.5] : [-0.2, 0.2];
      return tf.tensor1d(Float32Array.from({ length: n }, () => lo + (hi - lo) * r()));
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
let s = 0;
const bn = () => tfl.layers.batchNormalization({});
const relu6 = () => tfl.layers.reLU({ maxValue: 6 });
const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;

/** MobileNet v1 blocks as Keras writes them: ZeroPadding2D + valid depthwise for stride 2. */
function mobilenetV1Style(): tfl.LayersModel {
  const input = tfl.input({ shape: [32, 32, 3] });
  let x = apply(
    tfl.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(s++),
    }),
    input,
  );
  x = apply(relu6(), apply(bn(), x));
  for (const [filters, stride] of [
    [16, 1],
    [24, 2],
    [24, 1],
  ]) {
    if (stride === 2)
      x = apply(
        tfl.layers.zeroPadding2d({
          padding: [
            [0, 1],
            [0, 1],
          ],
        }),
        x,
      );
    x = apply(
      tfl.layers.depthwiseConv2d({
        kernelSize: 3,
        strides: stride,
        padding: stride === 2 ? 'valid' : 'same',
        useBias: false,
        depthwiseInitializer: init(s++),
      }),
      x,
    );
    x = apply(relu6(), apply(bn(), x));
    x = apply(tfl.layers.conv2d({ filters, kernelSize: 1, useBias: false, kernelInitializer: init(s++) }), x);
    x = apply(relu6(), apply(bn(), x));
  }
  x = apply(tfl.layers.globalAveragePooling2d({}), x);
  x = apply(tfl.layers.reshape({ targetShape: [1, 1, 24] }), x);
  x = apply(tfl.layers.dropout({ rate: 0.001 }), x);
  x = apply(tfl.layers.conv2d({ filters: 5, kernelSize: 1, padding: 'same', kernelInitializer: init(s++) }), x);
  x = apply(tfl.layers.reshape({ targetShape: [5] }), x);
  x = apply(tfl.layers.activation({ activation: 'softmax' }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'mobilenet_v1_style' });
}

/** MobileNet v2 inverted residual blocks (expand, depthwise, project, residual Add). */
function mobilenetV2Style(): tfl.LayersModel {
  const input = tfl.input({ shape: [32, 32, 3] });
  let x = apply(
    tfl.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(s++),
    }),
    input,
  );
  x = apply(relu6(), apply(bn(), x));
  let channels = 8;
  for (const [out, stride, expand] of [
    [8, 1, 1],
    [12, 2, 6],
    [12, 1, 6],
    [16, 2, 6],
  ]) {
    const shortcut = x;
    let y = x;
    if (expand !== 1)
      y = apply(
        relu6(),
        apply(
          bn(),
          apply(
            tfl.layers.conv2d({
              filters: channels * expand,
              kernelSize: 1,
              useBias: false,
              kernelInitializer: init(s++),
            }),
            y,
          ),
        ),
      );
    if (stride === 2)
      y = apply(
        tfl.layers.zeroPadding2d({
          padding: [
            [0, 1],
            [0, 1],
          ],
        }),
        y,
      );
    y = apply(
      tfl.layers.depthwiseConv2d({
        kernelSize: 3,
        strides: stride,
        padding: stride === 2 ? 'valid' : 'same',
        useBias: false,
        depthwiseInitializer: init(s++),
      }),
      y,
    );
    y = apply(relu6(), apply(bn(), y));
    y = apply(
      bn(),
      apply(tfl.layers.conv2d({ filters: out, kernelSize: 1, useBias: false, kernelInitializer: init(s++) }), y),
    );
    x = stride === 1 && channels === out ? (tfl.layers.add().apply([shortcut, y]) as tfl.SymbolicTensor) : y;
    channels = out;
  }
  x = apply(
    relu6(),
    apply(
      bn(),
      apply(tfl.layers.conv2d({ filters: 32, kernelSize: 1, useBias: false, kernelInitializer: init(s++) }), x),
    ),
  );
  x = apply(tfl.layers.globalAveragePooling2d({}), x);
  x = apply(tfl.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(s++) }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'mobilenet_v2_style' });
}

describe('export: MobileNet-style networks', () => {
  it('a MobileNet v1-style block stack matches tfjs within 1e-4', async () => {
    const model = mobilenetV1Style();
    seedBatchNorms(model, 1);
    files.v1_style = await expectRoundTrip(model, 3);
    model.dispose();
  });

  it('a MobileNet v2-style block stack (residual adds) matches tfjs within 1e-4', async () => {
    const model = mobilenetV2Style();
    seedBatchNorms(model, 2);
    files.v2_style = await expectRoundTrip(model, 3);
    model.dispose();
  });

  it.skipIf(!zoo)(
    'the zoo mobilenetV1 / mobilenetV2 builders (random init, feature maps) match tfjs within 1e-4',
    async () => {
      const v1 = await zoo!.mobilenetV1({ alpha: 0.25, inputShape: [64, 64, 3], includeTop: false, seed: 3 });
      seedBatchNorms(v1.model, 3);
      files.zoo_v1 = await expectRoundTrip(v1.model, 2);
      v1.model.dispose();
      const v2 = await zoo!.mobilenetV2({ alpha: 0.35, inputShape: [64, 64, 3], includeTop: false, seed: 4 });
      seedBatchNorms(v2.model, 4);
      files.zoo_v2 = await expectRoundTrip(v2.model, 2);
      v2.model.dispose();
    },
  );

  afterAll(() => {
    if (!hasPythonOnnx()) return;
    expect(pythonCheck(files)).toEqual([]);
  });
});
