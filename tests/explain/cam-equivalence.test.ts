import { explain, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAINING_BACKENDS, useBackend } from '../helpers/backends';

// For conv -> global average pooling -> dense, Grad-CAM equals CAM (Zhou et al. 2016): the gradient of logit c with
// respect to feature map k is W[k, c] / (h * w) everywhere, so the channel weights are the dense kernel's column up
// to a positive factor. The reference below computes CAM from the kernel and the conv output alone.
const tinyCnn = (classes: number) =>
  sequential({ inputShape: [8, 8, 1], seed: 3 })
    .conv2d(4, 3, { padding: 'same', activation: 'relu', name: 'features' })
    .globalAvgPool2d()
    .dense(classes, { activation: 'softmax', name: 'classes' });

/** ReLU(sum_k W[k, c] A_k) / max, computed on plain arrays. */
async function referenceCam(
  net: tfl.LayersModel,
  x: tf.Tensor,
  c: number,
): Promise<{ cam: number[]; logits: number[] }> {
  const sub = tfl.model({ inputs: net.inputs, outputs: net.getLayer('features').output as tfl.SymbolicTensor });
  const a = tf.tidy(() => sub.predict(tf.expandDims(x, 0)) as tf.Tensor);
  const maps = (await a.array()) as number[][][][];
  a.dispose();
  const [kernel, bias] = (await Promise.all(
    net
      .getLayer('classes')
      .getWeights()
      .map((w) => w.array()),
  )) as [number[][], number[]];
  const cells = maps[0].flat();
  const raw = cells.map((channels) =>
    Math.max(
      0,
      channels.reduce((s, v, k) => s + v * kernel[k][c], 0),
    ),
  );
  const max = Math.max(...raw);
  const pooled = kernel.map((_, k) => cells.reduce((s, ch) => s + ch[k], 0) / cells.length);
  const logits = bias.map((b, j) => b + pooled.reduce((s, v, k) => s + v * kernel[k][j], 0));
  return { cam: raw.map((v) => (max > 0 ? v / max : 0)), logits };
}

describe.each(TRAINING_BACKENDS)('explain on a conv -> GAP -> dense CNN equals CAM (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('for the predicted class: same map, the class predict gives, its pre-softmax logit as the score', async () => {
    const model = tinyCnn(3);
    const x = tf.randomUniform([8, 8, 1], 0, 1, 'float32', 11);
    const predicted = await model.predict(x, { batch: false });
    const before = tf.memory().numTensors;
    const e = await explain(model, x);
    expect(tf.memory().numTensors).toBe(before);
    expect(e.classIndex).toBe(predicted.index);
    expect(e.layer).toBe('features');
    expect([e.height, e.width, e.grid]).toEqual([8, 8, [8, 8]]);
    const ref = await referenceCam(model.net, x, e.classIndex);
    expect(Math.max(...ref.cam)).toBe(1);
    for (let i = 0; i < 64; i++) expect(e.heatmap[i]).toBeCloseTo(ref.cam[i], 5);
    expect(e.score).toBeCloseTo(ref.logits[e.classIndex], 5);
    x.dispose();
    model.dispose();
  });

  it('for each class asked for by index, a different CAM', async () => {
    const model = tinyCnn(3);
    const x = tf.randomUniform([8, 8, 1], 0, 1, 'float32', 5);
    const maps: Float32Array[] = [];
    for (const c of [0, 1, 2]) {
      const e = await explain(model, x, { classIndex: c });
      const ref = await referenceCam(model.net, x, c);
      expect(e.classIndex).toBe(c);
      for (let i = 0; i < 64; i++) expect(e.heatmap[i]).toBeCloseTo(ref.cam[i], 5);
      expect(e.score).toBeCloseTo(ref.logits[c], 5);
      maps.push(e.heatmap);
    }
    expect(Array.from(maps[0])).not.toEqual(Array.from(maps[1]));
    x.dispose();
    model.dispose();
  });
});

describe('explain through a residual block (the graph branches after the layer)', () => {
  it("at the block's input: channel weights (I + K) W, the skip path and the 1x1 conv both carry the gradient", async () => {
    await useBackend('cpu');
    // a -> [a + conv1x1_K(a)] -> GAP -> dense W: logit c = mean over cells of a . (I + K) W[:, c], a closed form
    const model = sequential({ inputShape: [6, 6, 1], seed: 5 })
      .conv2d(3, 3, { padding: 'same', activation: 'relu', name: 'a' })
      .residual((b) => b.conv2d(3, 1, { useBias: false, name: 'k' }))
      .globalAvgPool2d()
      .dense(2, { activation: 'softmax', name: 'classes' });
    const x = tf.randomUniform([6, 6, 1], 0, 1, 'float32', 8);
    const e = await explain(model, x, { layer: 'a', classIndex: 1 });
    expect(e.grid).toEqual([6, 6]);
    const net = model.net;
    const sub = tfl.model({ inputs: net.inputs, outputs: net.getLayer('a').output as tfl.SymbolicTensor });
    const a = tf.tidy(() => sub.predict(tf.expandDims(x, 0)) as tf.Tensor);
    const cells = ((await a.array()) as number[][][][])[0].flat();
    a.dispose();
    const k = ((await net.getLayer('k').getWeights()[0].array()) as number[][][][])[0][0];
    const w = (await net.getLayer('classes').getWeights()[0].array()) as number[][];
    // M = (I + K) W, column 1
    const m = [0, 1, 2].map((i) => w[i][1] + [0, 1, 2].reduce((s, j) => s + k[i][j] * w[j][1], 0));
    const raw = cells.map((ch) =>
      Math.max(
        0,
        ch.reduce((s, v, i) => s + v * m[i], 0),
      ),
    );
    const max = Math.max(...raw);
    expect(max).toBeGreaterThan(0);
    for (let i = 0; i < raw.length; i++) expect(e.heatmap[i]).toBeCloseTo(raw[i] / max, 5);
    // by default the map is the block's output, the last 4-D map after a convolution
    const add = net.layers.find((l) => l.getClassName() === 'Add');
    expect((await explain(model, x)).layer).toBe(add?.name);
    x.dispose();
    model.dispose();
  });
});

describe('the heatmap at the image size', () => {
  it('a coarser map is resized bilinearly with half-pixel centres (hand-computed)', async () => {
    await useBackend('cpu');
    // strides 2 give a 2x2 map over a 4x4 image; a one-filter conv with a positive class weight makes CAM = A / max
    const model = sequential({ inputShape: [4, 4, 1], seed: 1 })
      .conv2d(1, 2, { strides: 2, activation: 'relu', useBias: false, name: 'features' })
      .globalAvgPool2d()
      .dense(1, { activation: 'sigmoid', name: 'out' });
    model.net.getLayer('features').setWeights([tf.ones([2, 2, 1, 1])]);
    model.net.getLayer('out').setWeights([tf.ones([1, 1]), tf.zeros([1])]);
    // the 2x2 map is the sums of each 2x2 block: [[4, 0], [0, 2]] -> normalised [[1, 0], [0, 0.5]]
    const x = tf.tensor3d([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0.5, 0.5], [4, 4, 1]);
    const e = await explain(model, x);
    expect(e.classIndex).toBe(1);
    expect(e.grid).toEqual([2, 2]);
    // half-pixel centres: output i samples (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped at the edges)
    const row = (a: number, b: number) => [a, 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b, b];
    const cols = [row(1, 0), row(0, 0.5)];
    const expected = row(0, 0).map((_, r) => {
      const [wa, wb] = [
        [1, 0],
        [0.75, 0.25],
        [0.25, 0.75],
        [0, 1],
      ][r];
      return cols[0].map((v, c) => wa * v + wb * cols[1][c]);
    });
    const t = e.toTensor();
    expect(t.shape).toEqual([4, 4]);
    const got = (await t.array()) as number[][];
    t.dispose();
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(got[r][c]).toBeCloseTo(expected[r][c], 5);
    // class 0 of a one-unit output is explained by minus the logit: nothing in this image speaks for it
    const other = await explain(model, x, { classIndex: 0 });
    expect(Array.from(other.heatmap).every((v) => v === 0)).toBe(true);
    expect(other.score).toBeCloseTo(-e.score, 6);
    x.dispose();
    model.dispose();
  });

  it('rgba draws jet colours with alpha growing with the heat', async () => {
    await useBackend('cpu');
    const model = tinyCnn(2);
    const x = tf.randomUniform([8, 8, 1], 0, 1, 'float32', 2);
    const e = await explain(model, x);
    const px = e.rgba({ opacity: 1 });
    expect(px.length).toBe(64 * 4);
    const hottest = e.heatmap.indexOf(1);
    // heat 1 is jet's dark red (0.5, 0, 0); heat 0 is transparent
    expect(Array.from(px.slice(hottest * 4, hottest * 4 + 4))).toEqual([128, 0, 0, 255]);
    const cold = e.heatmap.indexOf(0);
    if (cold >= 0) expect(px[cold * 4 + 3]).toBe(0);
    for (let i = 0; i < 64; i++) expect(px[i * 4 + 3]).toBe(Math.round(e.heatmap[i] * 255));
    expect(Math.max(...Array.from(e.rgba().filter((_, i) => i % 4 === 3)))).toBe(Math.round(0.6 * 255));
    x.dispose();
    model.dispose();
  });
});
