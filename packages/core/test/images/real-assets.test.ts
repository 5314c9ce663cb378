import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageFile, readImageFolder, toImageTensor } from '../../src/data/images';
import { FLOWERS, hasFlowers, hasPhotos, PHOTOS, useCpu } from './fixtures';

if (!hasPhotos) console.warn(`[images] skipping real-photo tests: ${PHOTOS} not found`);
if (!hasFlowers) console.warn(`[images] skipping flowers folder test: ${FLOWERS} not found`);

beforeAll(useCpu);

/** Mean of each channel over the image. */
function channelMeans(data: Uint8Array): [number, number, number] {
  const s = [0, 0, 0];
  for (let i = 0; i < data.length; i++) s[i % 3] += data[i];
  const n = data.length / 3;
  return [s[0] / n, s[1] / n, s[2] / n];
}

describe.skipIf(!hasPhotos)('real photos', () => {
  // Sizes as reported by `file(1)`, an independent reader of the headers.
  const sizes: Record<string, [number, number]> = {
    'astronaut.png': [512, 512],
    'chelsea.png': [451, 300],
    'coffee.png': [600, 400],
    'motorcycle_left.png': [741, 500],
    'china.jpg': [640, 427],
    'flower.jpg': [640, 427],
    'rocket.jpg': [640, 427],
  };

  it('decodes every PNG and JPEG with the right width and height', async () => {
    for (const [name, [w, h]] of Object.entries(sizes)) {
      const img = await readImageFile(path.join(PHOTOS, name));
      expect([img.width, img.height], name).toEqual([w, h]);
      expect(img.data.length).toBe(w * h * 3);
    }
  });

  it('keeps channel order: the ginger cat is redder than it is blue', async () => {
    const [r, , b] = channelMeans((await readImageFile(path.join(PHOTOS, 'chelsea.png'))).data);
    expect(r - b).toBeGreaterThan(20);
  });
});

describe.skipIf(!hasFlowers)('flowers folder', () => {
  it('reads 5 classes x 60 photos with the right labels, no leaks', async () => {
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const out = await readImageFolder(FLOWERS, { size: [32, 32] });
    const ms = performance.now() - t0;
    console.log(`[images] readImageFolder(flowers, 32x32): 300 JPEGs in ${ms.toFixed(0)} ms`);
    const classes = ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips'];
    expect(out.classNames).toEqual(classes);
    expect(out.x.shape).toEqual([300, 32, 32, 3]);
    expect(out.labels).toEqual(classes.flatMap((_, c) => Array(60).fill(c)));
    expect(out.files.some((f) => f.endsWith('LICENSE.txt'))).toBe(false);
    for (let c = 0; c < 5; c++) {
      const dir = path.join(FLOWERS, classes[c]);
      const want = readdirSync(dir)
        .sort()
        .map((f) => path.join(dir, f));
      expect(out.files.slice(c * 60, c * 60 + 60)).toEqual(want);
    }
    expect(tf.memory().numTensors).toBe(before + 1);
    const [mn, mx] = [tf.min(out.x), tf.max(out.x)];
    const [lo, hi] = [(await mn.data())[0], (await mx.data())[0]];
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(255);
    expect(hi).toBeGreaterThan(200);
    // Row 0 is the first daisy, resized exactly as the single-image path does it.
    const first = await toImageTensor(out.files[0], { size: [32, 32] });
    const row0 = tf.slice(out.x, [0, 0, 0, 0], [1, 32, 32, 3]);
    expect(Array.from(await row0.data())).toEqual(Array.from(await first.data()));
    tf.dispose([mn, mx, first, row0, out.x]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
