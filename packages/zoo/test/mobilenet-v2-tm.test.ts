import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { backbone, mobilenetV2 } from '../src/index';
import { HAS_ASSETS, MOBILENET_V2_TM, photoBatch, warnIfNoAssets } from './helpers/assets';

warnIfNoAssets('MobileNetV2 0.35 (Teachable Machine) weight loading');

/** The Teachable Machine export as published: a Sequential whose layers[0] is the backbone (+ GAP, 1280-d). */
async function teachableMachineModel(): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(path.join(MOBILENET_V2_TM, 'model.json'), 'utf8'));
  const bin = readFileSync(path.join(MOBILENET_V2_TM, 'weights.bin'));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const weightSpecs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

describe.skipIf(!HAS_ASSETS)("MobileNetV2 0.35 with Teachable Machine's published weights", () => {
  it('the catalogue pins both files by size and SHA-256 (weights.bin published beside the model folder)', () => {
    const entry = backbone('mobilenet_v2_0.35_224');
    expect(entry.architecture).toEqual({ builder: 'mobilenetV2', alpha: 0.35 });
    expect(entry.files.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
    expect(entry.files[1].url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/.+\/weights\.bin$/);
  });

  it('loads into our MobileNetV2 by Keras weight name; its pooled out_relu is the TM embedding (layers[0])', async () => {
    // counted after the reference loads: plain tfjs keeps 3 tensors of the nested Sequential after its dispose
    const tm = await teachableMachineModel();
    const before = tf.memory().numTensors;
    const ours = await mobilenetV2({ alpha: 0.35, weights: 'imagenet', from: MOBILENET_V2_TM });
    expect(ours.featureLayer).toBe('out_relu');
    expect(ours.model.countParams()).toBe(410_208);
    const embed = tm.layers[0];
    for (const photo of ['chelsea.png', 'coffee.png']) {
      const batch = photoBatch(photo, [-1, 1]);
      const diff = tf.tidy(() => {
        const a = tf.mean(ours.model.predict(batch) as tf.Tensor, [1, 2]);
        const b = embed.apply(batch) as tf.Tensor;
        expect(b.shape).toEqual([1, 1280]);
        return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      });
      expect(diff, photo).toBeLessThan(1e-4);
      batch.dispose();
    }
    ours.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tm.dispose();
  });
});
