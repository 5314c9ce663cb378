/**
 * A fresh process for tests/model/layer-kit.test.ts: nothing has loaded graft's own layer classes yet.
 * `load <dir>`: loadModel a saved model that uses them. `ready`: build one after `await model.ready()`. `embed`:
 * embed() with a model that uses one, against its network's own output.
 * Prints one JSON line: whether tfjs knew RandomFlip before, the sync refusal's code, the layers' class names.
 */
import { embed, loadModel, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';

const known = () => 'RandomFlip' in tf.serialization.SerializationMap.getMap().classNameMap;
const registeredBefore = known();
const [mode, dir] = process.argv.slice(2);
let refused: string | null = null;
let layers: string[];
if (mode === 'load') {
  const m = await loadModel(dir);
  layers = m.net.layers.map((l) => `${l.getClassName()}:${JSON.stringify(l.getConfig().mode ?? null)}`);
} else if (mode === 'embed') {
  const m = sequential({ inputShape: [2], seed: 1 })
    .normalization({ mean: 1, variance: 4 })
    .dense(3);
  const got = await embed(m, [3, 5]);
  const want = m.net.predict(tf.tensor2d([[3, 5]])) as tf.Tensor;
  layers = [
    JSON.stringify(Array.from(await got.data())) === JSON.stringify(Array.from(await want.data())) ? 'same' : 'differ',
  ];
  layers.push(...m.net.layers.map((l) => l.getClassName()));
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
