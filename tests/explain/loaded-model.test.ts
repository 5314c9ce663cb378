import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explain, loadModel, transfer } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/backends';

// A saved and loaded transfer model is a plain Model whose network holds the head as a nested model: explain must
// open it the same way and give the same map and logit as the model it was saved from.
describe('explain on a loaded transfer model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graft-explain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the map and the score the original gave, for every class', async () => {
    await useBackend('cpu');
    const input = tfl.input({ shape: [16, 16, 3] });
    const conv = tfl.layers
      .conv2d({ filters: 3, kernelSize: 3, activation: 'relu', name: 'base_conv', kernelInitializer: 'heNormal' })
      .apply(input) as tfl.SymbolicTensor;
    const base = tfl.model({ inputs: input, outputs: conv });
    const model = transfer(base, { preprocessing: { size: [16, 16], range: [0, 1] }, seed: 3 })
      .freeze()
      .addHead(3);
    model.classNames = ['x', 'y', 'z'];
    const image = tf.randomUniform([20, 24, 3], 0, 255, 'float32', 9);
    await model.save(join(dir, 'm'));
    const loaded = await loadModel(join(dir, 'm'));
    for (const label of ['x', 'y', 'z']) {
      const [a, b] = [await explain(model, image, { label }), await explain(loaded, image, { label })];
      expect([b.layer, b.height, b.width, b.grid]).toEqual(['base_conv', 20, 24, [14, 14]]);
      expect(b.score).toBeCloseTo(a.score, 5);
      for (let i = 0; i < a.heatmap.length; i++) expect(b.heatmap[i]).toBeCloseTo(a.heatmap[i], 5);
    }
    image.dispose();
    model.dispose();
    loaded.dispose();
  });
});
