/**
 * The frozen-stem feature stage owns its cache and the one rule for it: features are recomputed after anything they
 * depend on changes (freeze/unfreeze, base weights, preprocessing, the stem itself) and served from the cache
 * otherwise. Counted through the 'features' progress phase, and checked for correctness against uncached training.
 */
import { dataset, type LayersBackbone, type Preprocessing, type ProgressEvent, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

const PRE: Preprocessing = { size: [8, 8], range: [-1, 1] };

function base(seed = 4): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3] });
  const conv = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    })
    .apply(input) as tfl.SymbolicTensor;
  const dense = tfl.layers
    .dense({ units: 6, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) })
    .apply(conv) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: dense, name: 'stage_base' });
}

function images(n: number) {
  const x = tf.randomUniform([n, 8, 8, 3], 0, 255, 'float32', 3);
  try {
    return dataset(
      x,
      Array.from({ length: n }, (_, i) => i % 2),
    );
  } finally {
    x.dispose();
  }
}

describe('the frozen-stem stage decides when its features are stale', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('recomputes after freeze/unfreeze, new base weights, new preprocessing; serves the cache otherwise', async () => {
    const data = images(20);
    const m = transfer(base(), { seed: 2, preprocessing: PRE }).freeze().addHead(2);
    /** Whether a one-epoch fit computed base features. */
    const computed = async () => {
      let features = false;
      await m.fit(data, { epochs: 1, onProgress: (e: ProgressEvent) => void (features ||= e.phase === 'features') });
      expect(m.lastFit?.featureCache).toBe(true);
      return features;
    };
    expect(await computed()).toBe(true);
    expect(await computed()).toBe(false); // nothing changed
    m.compile({ learningRate: 0.01 }); // the head's optimizer is not something features depend on
    expect(await computed()).toBe(false);

    m.preprocess({ size: [8, 8], range: [0, 1] });
    expect(await computed()).toBe(true);
    expect(await computed()).toBe(false);

    const layer = (m.backbone as LayersBackbone).model.layers[1];
    layer.setWeights(layer.getWeights().map((w) => tf.mul(w, 0.5)));
    expect(await computed()).toBe(true);

    m.unfreeze().freeze(); // the frozen set changed and changed back: what was cached was freed
    expect(await computed()).toBe(true);
    expect(await computed()).toBe(false);
    data.dispose();
    await m.dispose();
  });

  it('a base trained through another model that shares it makes the cached features stale', async () => {
    const shared = base(9);
    const data = images(20);
    const a = transfer(shared, { seed: 1, preprocessing: PRE }).freeze().addHead(2);
    const b = transfer(shared, { seed: 1, preprocessing: PRE }).addHead(2); // trains the base
    let phases = 0;
    const count = (e: ProgressEvent) => void (phases += e.phase === 'features' && e.batch === 0 ? 1 : 0);
    await a.fit(data, { epochs: 1, onProgress: count });
    shared.layers.forEach((l) => {
      l.trainable = true;
    });
    await b.fit(data, { epochs: 1, learningRate: 0.05, featureCache: false });
    shared.layers.forEach((l) => {
      l.trainable = false;
    });
    await a.fit(data, { epochs: 1, onProgress: count });
    expect(phases).toBe(2);
    data.dispose();
  });

  it('features cached under new preprocessing train the same head as no cache at all', async () => {
    const data = images(24);
    const make = () => transfer(base(), { seed: 3, preprocessing: PRE }).freeze().addHead(2);
    const cached = make();
    const direct = make();
    await cached.fit(data, { epochs: 1, seed: 1 }); // cached under PRE, then replaced
    await direct.fit(data, { epochs: 1, seed: 1, featureCache: false });
    const other: Preprocessing = { size: [8, 8], range: [0, 1], mean: [0.5, 0.4, 0.3] };
    cached.preprocess(other);
    direct.preprocess(other);
    await cached.fit(data, { epochs: 2, seed: 2 });
    await direct.fit(data, { epochs: 2, seed: 2, featureCache: false });
    expect(cached.lastFit?.featureCache).toBe(true);
    const a = await cached.predictTensor(data.x);
    const b = await direct.predictTensor(data.x);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    expect(cached.metadata().preprocessing).toEqual(other);
    data.dispose();
    await Promise.all([cached.dispose(), direct.dispose()]);
  });
});
