import { explain, preprocess, toImageTensor, transfer } from '@graftjs/core';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ASSETS, HAVE_ASSETS } from '../helpers/assets';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';

const PHOTO = `${ASSETS}/photos/flower.jpg`;

const snapshot = async (net: tfl.LayersModel) => ({
  values: (await Promise.all(net.weights.map((w) => w.read().data()))).map((v) => Array.from(v)),
  trainable: net.layers.map((l) => l.trainable),
});

/** The weights (BatchNorm statistics included) and trainable flags are what they were; then the model is freed. */
async function expectUnchangedAndDispose(model: { net: tfl.LayersModel; dispose(): void }, before: Snapshot) {
  const after = await snapshot(model.net);
  expect(after.trainable).toEqual(before.trainable);
  for (const [i, v] of after.values.entries()) expect(v).toEqual(before.values[i]);
  model.dispose();
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/**
 * CAM on the base's last feature map and the head's kernel (pooling is global average, the head one dense softmax:
 * Grad-CAM equals CAM there), at the photo's size: a reference built from the pieces, not from explain's graph walk.
 */
async function referenceCam(net: tfl.LayersModel, layer: string, c: number, size: [number, number]): Promise<number[]> {
  const features = tfl.model({ inputs: net.inputs, outputs: net.getLayer(layer).output as tfl.SymbolicTensor });
  const head = net.layers[net.layers.length - 1] as tfl.LayersModel;
  const [kernel] = head.layers[head.layers.length - 1].getWeights();
  const image = await toImageTensor(PHOTO, { size: [224, 224] });
  const cam = tf.tidy(() => {
    const x = preprocess(tf.expandDims(image, 0) as tf.Tensor4D, { size: [224, 224], range: [-1, 1] });
    const a = features.predict(x) as tf.Tensor4D;
    const w = tf.reshape(tf.slice(kernel, [0, c], [-1, 1]), [-1]);
    const map = tf.relu(tf.sum(tf.mul(a, w), -1));
    const normalised = tf.div(map, tf.max(map));
    return tf.image.resizeBilinear(tf.reshape(normalised, [7, 7, 1]) as tf.Tensor3D, size, false, true);
  });
  image.dispose();
  const out = Array.from(await cam.data());
  cam.dispose();
  return out;
}

describe.skipIf(!HAVE_ASSETS)('explain on a transfer model, MobileNet v1 0.25 from the zoo', () => {
  if (!HAVE_ASSETS) console.warn('[explain] /work/shared/assets is absent: the MobileNet transfer tests are SKIPPED');

  for (const backend of TRAINING_BACKENDS) {
    it(`a frozen base with a new head: the photo-sized map is CAM, nothing leaks, nothing changes (${backend})`, async () => {
      await useBackend(backend);
      const base = await mobilenetV1({
        alpha: 0.25,
        weights: 'imagenet',
        from: `${ASSETS}/mobilenet_v1_0.25_224/layers`,
      });
      expect(base.preprocessing).toMatchObject({ size: [224, 224], range: [-1, 1] });
      const model = transfer(base, { seed: 4 }).freeze().addHead(3);
      model.classNames = ['a', 'b', 'c'];
      await model.predict(PHOTO);
      const before = await snapshot(model.net);
      const tensors = tf.memory().numTensors;
      const e = await explain(model, PHOTO, { label: 'b' });
      expect(tf.memory().numTensors).toBe(tensors);
      const photo = await toImageTensor(PHOTO);
      const [height, width] = photo.shape;
      photo.dispose();
      expect([e.height, e.width]).toEqual([height, width]);
      expect(e.heatmap.length).toBe(height * width);
      expect(e.grid).toEqual([7, 7]);
      expect(e.layer).toBe(base.featureLayer);
      expect([e.classIndex, e.label]).toEqual([1, 'b']);
      expect(e.heatmap.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      // 1 at the peak cell's centre, which need not fall on a pixel of the photo
      expect(e.heatmap.reduce((m, v) => Math.max(m, v), 0)).toBeGreaterThan(0.9);
      const reference = await referenceCam(model.net, e.layer, 1, [height, width]);
      let worst = 0;
      for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(reference[i] - e.heatmap[i]));
      expect(worst).toBeLessThan(1e-3);
      await expectUnchangedAndDispose(model, before);
      base.model.dispose();
    }, 300_000);
  }

  it('an earlier base layer by name, and a base partly unfrozen (BatchNorm stays in inference mode) (wasm)', async () => {
    await useBackend('wasm');
    const base = await mobilenetV1({
      alpha: 0.25,
      weights: 'imagenet',
      from: `${ASSETS}/mobilenet_v1_0.25_224/layers`,
    });
    const model = transfer(base, { seed: 4 }).freeze().addHead(3).unfreeze({ last: 3 });
    const predicted = await model.predict(PHOTO);
    const before = await snapshot(model.net);
    const tensors = tf.memory().numTensors;
    const e = await explain(model, PHOTO, { layer: 'conv_pw_11_relu' });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(e.classIndex).toBe(predicted.index);
    expect(e.grid).toEqual([14, 14]);
    expect(e.heatmap.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    await expectUnchangedAndDispose(model, before);
    base.model.dispose();
  }, 300_000);
});
