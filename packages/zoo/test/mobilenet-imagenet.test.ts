import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backbone, loadBackbone, mobilenetV1 } from '../src/index';
import { assignWeights } from '../src/loading/assign-weights';
import { readVerifiedFiles } from '../src/loading/verified-files';
import { HAS_ASSETS, imagenetLabels, MOBILENET_LAYERS, photoBatch, topK, warnIfNoAssets } from './helpers/assets';

warnIfNoAssets('MobileNet v1 ImageNet weight loading');

const CAT_CLASSES = [281, 282, 283, 284, 285];
const COFFEE_CLASSES = [967, 968, 504];

describe.skipIf(!HAS_ASSETS)('MobileNet v1 0.25 with the published ImageNet weights', () => {
  it('loads by name into our architecture (checksums pass) and classifies the cat and the coffee', async () => {
    const before = tf.memory().numTensors;
    const b = await mobilenetV1({ alpha: 0.25, includeTop: true, weights: 'imagenet', from: MOBILENET_LAYERS });
    const labels = imagenetLabels();
    const top1 = (photo: string) => {
      const batch = photoBatch(photo, [-1, 1]);
      const probs = b.model.predict(batch) as tf.Tensor;
      const [best] = topK(probs, 1);
      const total = tf.sum(probs);
      const sum = total.dataSync()[0];
      tf.dispose([batch, probs, total]);
      return { best, sum };
    };
    const cat = top1('chelsea.png');
    expect(CAT_CLASSES, `cat photo gave ${cat.best} (${labels[cat.best]})`).toContain(cat.best);
    expect(cat.sum).toBeCloseTo(1, 3);
    const coffee = top1('coffee.png');
    expect(COFFEE_CLASSES, `coffee photo gave ${coffee.best} (${labels[coffee.best]})`).toContain(coffee.best);
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('random init differs from the loaded weights (the load really wrote them)', async () => {
    const loaded = await mobilenetV1({ alpha: 0.25, from: MOBILENET_LAYERS });
    const random = await mobilenetV1({ alpha: 0.25, seed: 1 });
    const w = (m: typeof loaded) => Array.from(m.model.getLayer('conv1').getWeights()[0].dataSync().slice(0, 8));
    expect(w(loaded)).not.toEqual(w(random));
    // conv1/kernel of the published model: the first float of group1-shard1of1
    const shard = new Uint8Array(readFileSync(path.join(MOBILENET_LAYERS, 'group1-shard1of1')));
    const published = new Float32Array(shard.buffer, shard.byteOffset, 8);
    expect(w(loaded)).toEqual(Array.from(published));
    loaded.model.dispose();
    random.model.dispose();
  });

  it('loadBackbone by name gives the headless backbone with the feature layer 7x7x256', async () => {
    const b = await loadBackbone('mobilenet_v1_0.25_224', { from: MOBILENET_LAYERS });
    if (b.kind !== 'layers') throw new Error('expected a layers backbone');
    expect(b.featureLayer).toBe('conv_pw_13_relu');
    expect(b.model.outputs[0].shape).toEqual([null, 7, 7, 256]);
    expect(b.preprocessing?.range).toEqual([-1, 1]);
    b.model.dispose();
  });

  it('loads from a map of name -> bytes and from browser-style File objects', async () => {
    const names = readdirSync(MOBILENET_LAYERS);
    const map = new Map(names.map((n) => [n, new Uint8Array(readFileSync(path.join(MOBILENET_LAYERS, n)))]));
    const fromMap = await mobilenetV1({ alpha: 0.25, from: map });
    const files = names.map((n) => new File([readFileSync(path.join(MOBILENET_LAYERS, n))], n));
    const fromFiles = await mobilenetV1({ alpha: 0.25, from: files });
    const record = Object.fromEntries(map);
    const fromRecord = await mobilenetV1({ alpha: 0.25, from: record });
    const w = (m: typeof fromMap) => Array.from(m.model.getLayer('conv_pw_13').getWeights()[0].dataSync().slice(0, 16));
    expect(w(fromFiles)).toEqual(w(fromMap));
    expect(w(fromRecord)).toEqual(w(fromMap));
    for (const m of [fromMap, fromFiles, fromRecord]) m.model.dispose();
  });

  it('name-matching refuses a weight the file lacks (WEIGHTS_MISSING) or a shape that differs (SHAPE_MISMATCH)', async () => {
    const files = await readVerifiedFiles(backbone('mobilenet_v1_0.25_224'), { from: MOBILENET_LAYERS });
    const model = (await mobilenetV1({ alpha: 0.25, seed: 3 })).model;
    const kernel = () => Array.from(model.getLayer('conv1').getWeights()[0].dataSync());
    const original = kernel();
    const before = tf.memory().numTensors;
    const withoutDw5 = {
      ...files,
      modelJson: {
        ...files.modelJson,
        weightsManifest: files.modelJson.weightsManifest.filter(
          (g) => g.weights[0].name !== 'conv_dw_5/depthwise_kernel',
        ),
      },
    };
    expect(() => assignWeights(model, withoutDw5, 'the test copy')).toThrow(
      /WEIGHTS_MISSING.*conv_dw_5\/depthwise_kernel/,
    );
    // nothing was written and nothing leaked
    expect(kernel()).toEqual(original);
    expect(tf.memory().numTensors).toBe(before);
    const wider = (await mobilenetV1({ alpha: 0.5, inputShape: [32, 32, 3] })).model;
    expect(() => assignWeights(wider, files, 'the test copy')).toThrow(
      /SHAPE_MISMATCH.*conv1\/kernel of shape \[3,3,3,16\]/,
    );
    model.dispose();
    wider.dispose();
  });
});
