import { explain, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

// A second, independent reference: occlusion (Zeiler & Fergus 2014). Class 1 images hold a bright 2x2 patch at a
// random place, class 0 images none; hiding a 2x2 cell and measuring how much the class-1 logit drops says where the
// evidence is, with no gradients. Grad-CAM's map must peak on the same cell and rank the cells alike, both at the
// default layer (the last conv, after pooling) and at an earlier conv named by `layer` (whose gradient goes back
// through convolution and pooling).
const SIZE = 8;
const CELL = 2;

function sample(rng: () => number, label = Math.floor(rng() * 2)): { pixels: number[]; label: number; patch: number } {
  const pixels = Array.from({ length: SIZE * SIZE }, () => rng() * 0.3);
  // a patch on the 2x2 cell grid
  const patch = Math.floor(rng() * 16);
  const [r, c] = [Math.floor(patch / 4), patch % 4];
  if (label === 1)
    for (let dr = 0; dr < CELL; dr++)
      for (let dc = 0; dc < CELL; dc++) pixels[(r * CELL + dr) * SIZE + c * CELL + dc] = 1;
  return { pixels, label, patch };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ranks(v: number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

function pearson(a: number[], b: number[]): number {
  const [ma, mb] = [a, b].map((v) => v.reduce((s, x) => s + x, 0) / v.length);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

const spearman = (a: number[], b: number[]) => pearson(ranks(a), ranks(b));

/** The class logit's drop when each 2x2 cell is set to 0, as a 4x4 grid (row-major). */
async function occlusionMap(logit: (pixels: number[]) => Promise<number>, pixels: number[]): Promise<number[]> {
  const base = await logit(pixels);
  const drops: number[] = [];
  for (let r = 0; r < SIZE / CELL; r++)
    for (let c = 0; c < SIZE / CELL; c++) {
      const hidden = [...pixels];
      for (let dr = 0; dr < CELL; dr++)
        for (let dc = 0; dc < CELL; dc++) hidden[(r * CELL + dr) * SIZE + c * CELL + dc] = 0;
      drops.push(base - (await logit(hidden)));
    }
  return drops;
}

/** Grad-CAM's 8x8 heatmap averaged over each 2x2 cell. */
const cellMeans = (heat: Float32Array) =>
  Array.from({ length: 16 }, (_, i) => {
    const [r, c] = [Math.floor(i / 4), i % 4];
    let s = 0;
    for (let dr = 0; dr < CELL; dr++)
      for (let dc = 0; dc < CELL; dc++) s += heat[(r * CELL + dr) * SIZE + c * CELL + dc];
    return s / 4;
  });

const argmax = (v: number[]) => v.indexOf(Math.max(...v));

describe('explain agrees with occlusion on a CNN trained to find a bright patch', () => {
  it('the same peak cell (the patch) and correlated maps, on held-out images', async () => {
    await useBackend('cpu');
    const rng = seeded(7);
    const train = Array.from({ length: 300 }, () => sample(rng));
    const x = tf.tensor4d(
      train.flatMap((s) => s.pixels),
      [train.length, SIZE, SIZE, 1],
    );
    const model = sequential({ inputShape: [SIZE, SIZE, 1], seed: 2 })
      .conv2d(4, 3, { padding: 'same', activation: 'relu', name: 'conv1' })
      .maxPool2d(2)
      .conv2d(4, 3, { padding: 'same', activation: 'relu', name: 'conv2' })
      .globalAvgPool2d()
      .dense(2, { activation: 'softmax' });
    await model.fit(
      x,
      train.map((s) => s.label),
      { epochs: 30, batchSize: 32, learningRate: 0.02, seed: 2 },
    );
    x.dispose();
    // log p1 - log p0 is the difference of the two logits: occlusion reads it from predict alone
    const margin = async (pixels: number[]) => {
      const image = tf.tensor3d(pixels, [SIZE, SIZE, 1]);
      const [p0, p1] = (await model.predict(image, { batch: false })).probabilities;
      image.dispose();
      return Math.log(p1) - Math.log(p0);
    };
    const test = Array.from({ length: 10 }, () => sample(rng, 1));
    for (const layer of ['conv2', 'conv1']) {
      let agree = 0;
      const correlations: number[] = [];
      const ranked: number[] = [];
      for (const s of test) {
        const image = tf.tensor3d(s.pixels, [SIZE, SIZE, 1]);
        const e = await explain(model, image, layer === 'conv2' ? {} : { layer });
        image.dispose();
        expect(e.layer).toBe(layer);
        expect(e.classIndex).toBe(1);
        const cam = cellMeans(e.heatmap);
        const occlusion = await occlusionMap(margin, s.pixels);
        expect(argmax(occlusion)).toBe(s.patch);
        if (argmax(cam) === s.patch) agree++;
        correlations.push(pearson(cam, occlusion));
        ranked.push(spearman(cam, occlusion));
      }
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      console.log(
        `[explain] ${layer}: Grad-CAM peak on the patch in ${agree}/10; correlation with occlusion: Pearson ${mean(correlations).toFixed(2)}, Spearman ${mean(ranked).toFixed(2)}`,
      );
      expect(agree).toBeGreaterThanOrEqual(9);
      // occlusion is near zero and noisy off the patch while Grad-CAM's map is smooth there, so ranks of the
      // background cells agree little (Spearman about 0.2-0.3, logged); the linear correlation follows the peak
      expect(mean(correlations)).toBeGreaterThan(0.3);
    }
    model.dispose();
  }, 120_000);
});
