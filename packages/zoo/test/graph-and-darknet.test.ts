import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type GraphBackbone, loadBackbone } from '../src/index';
import {
  DARKNET,
  HAS_ASSETS,
  imagenetLabels,
  MOBILENET_GRAPH,
  photoBatch,
  topK,
  warnIfNoAssets,
} from './helpers/assets';
import { expectGraftError } from './helpers/expect-graft-error';

warnIfNoAssets('graph model and darknet_tiny loading');

const CAT_NAMES = ['tabby', 'tiger cat', 'Persian cat', 'Siamese cat', 'Egyptian cat'];

describe.skipIf(!HAS_ASSETS)('published topologies we do not rebuild', () => {
  it('the TF-Hub graph model becomes a frozen extractor of 256-d features', async () => {
    const before = tf.memory().numTensors;
    const b = (await loadBackbone('mobilenet_v1_0.25_224_graph', { from: MOBILENET_GRAPH })) as GraphBackbone;
    expect(b.kind).toBe('extractor');
    expect(b.featureShape).toEqual([256]);
    expect(b.frozenReason).toBe('a tfjs GraphModel cannot be trained');
    expect(b.preprocessing?.range).toEqual([0, 1]);

    const cat = photoBatch('chelsea.png', [0, 1]);
    const coffee = photoBatch('coffee.png', [0, 1]);
    const batch = tf.concat([cat, coffee]);
    const modelTensors = tf.memory().numTensors;
    const features = await b.extract(batch);
    expect(features.shape).toEqual([2, 256]);
    // ReLU6 then average pooling: every feature lies in [0, 6]; two different photos give different features
    const values = await features.array();
    for (const row of values as number[][]) for (const v of row) expect(v >= 0 && v <= 6).toBe(true);
    const diff = tf.tidy(() =>
      tf.sum(tf.abs(tf.sub(tf.slice(features, [0, 0], [1, 256]), tf.slice(features, [1, 0], [1, 256])))),
    );
    expect(diff.dataSync()[0]).toBeGreaterThan(1);
    tf.dispose([features, diff]);
    // extract leaves nothing behind
    expect(tf.memory().numTensors).toBe(modelTensors);

    // the same graph's own classifier puts the cat in a cat class (1001 logits, index 0 = background)
    const logits = b.model.execute(
      { images: cat },
      'module_apply_default/MobilenetV1/Logits/SpatialSqueeze',
    ) as tf.Tensor;
    const [best] = topK(logits, 1);
    expect([282, 283, 284, 285, 286], `graph top-1 ${best} (${imagenetLabels()[best - 1]})`).toContain(best);
    logits.dispose();

    await expectGraftError(
      b.extract(tf.zeros([1, 32, 32, 3])),
      'SHAPE_MISMATCH',
      /\[N, 224, 224, 3\]/,
      /\[1, 32, 32, 3\]/,
    );
    tf.dispose([cat, coffee, batch]);
    b.dispose();
    // the rejected tf.zeros input above is the only tensor left
    expect(tf.memory().numTensors).toBe(before + 1);
  });

  it('darknet_tiny loads as published and finds the cat in its top 5 (its own label order)', async () => {
    const before = tf.memory().numTensors;
    const b = await loadBackbone('darknet_tiny', { from: DARKNET });
    if (b.kind !== 'layers') throw new Error('expected a layers backbone');
    expect(b.featureLayer).toBe('leaky_re_lu_15');
    expect(b.model.getLayer('leaky_re_lu_15').outputShape).toEqual([null, 14, 14, 128]);
    const labels = readFileSync(path.join(DARKNET, 'labels_darknet.txt'), 'utf8').trim().split('\n');
    expect(labels).toHaveLength(1000);
    const batch = photoBatch('chelsea.png', [0, 1]);
    const logits = b.model.predict(batch) as tf.Tensor;
    expect(logits.shape).toEqual([1, 1000]);
    const top5 = topK(logits, 5).map((i) => labels[i].trim());
    expect(
      top5.some((l) => CAT_NAMES.includes(l)),
      `darknet top-5: ${top5.join(', ')}`,
    ).toBe(true);
    tf.dispose([batch, logits]);
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
