/**
 * A fresh process for tests/model/layer-kit.test.ts: nothing has loaded graft's own layer classes yet.
 * `load <dir>`: loadModel a saved model that uses them. `ready`: build one after `await model.ready()`.
 * Prints one JSON line: whether tfjs knew RandomFlip before, the sync refusal's code, the layers' class names.
 */
import { loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';

const known = () => 'RandomFlip' in tf.serialization.SerializationMap.getMap().classNameMap;
const registeredBefore = known();
const [mode, dir] = process.argv.slice(2);
let refused: string | null = null;
let layers: string[];
if (mode === 'load') {
  const m = await loadModel(dir);
  layers = m.net.layers.map((l) => `${l.getClassName()}:${JSON.stringify(l.getConfig().mode ?? null)}`);
} else {
  const m = sequential({ inputShape: [4, 4, 3] })
    .randomFlip('vertical')
    .resizing(2, 2)
    .flatten()
    .dense(1);
  try {
    m.summary(null);
  } catch (e) {
    refused = (e as { code?: string }).code ?? String(e);
  }
  await m.ready();
  layers = m.net.layers.map((l) => l.getClassName());
}
console.log(JSON.stringify({ registeredBefore, refused, layers, registeredAfter: known() }));
