import { sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src';
import { maxAbsDiff, randomArray, runOnnx } from './helpers';

describe('through core: model.export("onnx") and predict on the "onnx" runtime', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a sequential() model exports, and predicts through onnxruntime-web like tfjs (1e-4)', async () => {
    const model = sequential({ inputShape: [8, 8, 3], seed: 3 })
      .conv2d(4, 3, { padding: 'same', activation: 'relu' })
      .batchNorm()
      .depthwiseConv2d(3, { strides: 2, padding: 'same', activation: 'relu6' })
      .globalAvgPool2d()
      .dense(3, { activation: 'softmax' });
    const x = tf.tensor(randomArray(4 * 8 * 8 * 3, 5), [4, 8, 8, 3]);
    const tfjs = await model.predictTensor(x);
    const want = await tfjs.data();

    const bytes = await model.export('onnx');
    const file = await runOnnx(bytes, (await x.data()) as Float32Array, [4, 8, 8, 3]);
    expect(maxAbsDiff(file.data, want)).toBeLessThan(1e-4);

    const viaOnnx = await model.predictTensor(x, { backend: 'onnx' });
    expect(viaOnnx.shape).toEqual([4, 3]);
    expect(maxAbsDiff(await viaOnnx.data(), want)).toBeLessThan(1e-4);
    tf.dispose([x, tfjs, viaOnnx]);
  });
});
