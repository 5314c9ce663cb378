/**
 * The no-options head fit against tuned linear probes (issue 13, item 1), per frozen base and backend, on a seeded
 * 40/20 per-class split of the shared flower photos (5 classes x 60):
 *   no options: `transfer(base).freeze().addHead(5).fit(train)` (the head is solved: L-BFGS, weight decay by 5-fold
 *               cross-validation on the training split);
 *   probes:     the same model's head re-initialised (seeded Glorot, zero bias) and trained with Adam at a given
 *               learning rate for a given number of epochs, batch 32, seed 1; the best probe is chosen on the
 *               test split itself (an optimistic oracle, so the no-options figure is compared with the best case).
 * The base's features are computed once per base and backend (the model's feature cache); `solve s` is a second
 * no-options fit on the cached features (the head's own cost); probe seconds are per probe.
 *
 * Run: node --conditions=graft-source --import tsx bench/default-head.ts
 * Env: BENCH_BACKENDS (default cpu,wasm), BENCH_BASES (default v1,v2,onnx),
 *      BENCH_PROBES (default 0.003x15,0.003x30,0.01x30: learningRate x epochs).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@graftjs/backend-wasm';
import { type Backbone, backends, type Dataset, fromDirectory, type TransferModel, transfer } from '@graftjs/core';
import { mobilenetV1, mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS = path.resolve(here, '..', '../shared/assets');
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm').split(',').filter(Boolean);
const BASES = (process.env.BENCH_BASES ?? 'v1,v2,onnx').split(',').filter(Boolean);
const PROBES = (process.env.BENCH_PROBES ?? '0.003x15,0.003x30,0.01x30').split(',').map((p) => {
  const [lr, epochs] = p.split('x').map(Number);
  return { lr, epochs };
});

const BASE_LOADERS: Record<string, { name: string; load: () => Promise<Backbone> }> = {
  v1: {
    name: 'MobileNet v1 0.25 (layers)',
    load: () => mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: `${ASSETS}/mobilenet_v1_0.25_224/layers` }),
  },
  v2: {
    name: 'MobileNetV2 0.35 (Teachable Machine, layers)',
    load: () => mobilenetV2({ alpha: 0.35, weights: 'imagenet', from: `${ASSETS}/mobilenet_v2_0.35_224_tm` }),
  },
  onnx: {
    name: 'MobileNetV2 1.0 int8 (ONNX)',
    load: async () => {
      const { onnxBackbone } = await import('@graftjs/backend-onnx');
      return onnxBackbone(`${ASSETS}/mobilenetv2-12-int8/mobilenetv2-12-int8.onnx`, {
        preprocessing: { size: [224, 224], range: [0, 1], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      });
    },
  },
};

/** The head's output Dense layer, inside the joined network or as the network itself. */
function headOutput(net: tfl.LayersModel): tfl.layers.Layer {
  for (const l of net.layers) {
    if (l.name === 'head_output') return l;
    const inner = (l as unknown as { layers?: tfl.layers.Layer[] }).layers;
    const found = inner?.find((x) => x.name === 'head_output');
    if (found) return found;
  }
  throw new Error('no head_output layer');
}

/** Fresh seeded Glorot kernel and zero bias, as a new head would start. */
function resetHead(model: TransferModel, seed: number): void {
  const layer = headOutput(model.net);
  const [kernel, bias] = layer.weights;
  tf.tidy(() => {
    const k = tfl.initializers.glorotUniform({ seed }).apply(kernel.shape as number[]) as tf.Tensor;
    layer.setWeights([k, tf.zeros(bias.shape as number[])]);
  });
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const pct = (a: number) => `${(100 * a).toFixed(1)}%`;

async function benchBase(key: string, backend: string, train: Dataset, test: Dataset): Promise<string> {
  const { name, load } = BASE_LOADERS[key];
  const base = await load();
  const model = transfer(base).freeze().addHead(5);
  let t0 = performance.now();
  await model.fit(train);
  const withFeatures = seconds(t0);
  t0 = performance.now();
  await model.fit(train);
  const solveSeconds = seconds(t0);
  const fit = model.lastFit;
  const solved = (await model.evaluate(test)).accuracy;
  const probes: { label: string; acc: number; s: number }[] = [];
  for (const { lr, epochs } of PROBES) {
    resetHead(model, 1);
    t0 = performance.now();
    await model.fit(train, { epochs, learningRate: lr, batchSize: 32, seed: 1 });
    const s = seconds(t0);
    probes.push({ label: `lr ${lr} x ${epochs}`, acc: (await model.evaluate(test)).accuracy, s });
  }
  const best = probes.reduce((a, b) => (b.acc > a.acc ? b : a));
  await model.dispose();
  const all = probes.map((p) => `${p.label}: ${pct(p.acc)}`).join('; ');
  return `| ${name} | ${backend} | **${pct(solved)}** | ${fit?.weightDecay} | ${solveSeconds.toFixed(2)} | ${withFeatures.toFixed(1)} | ${pct(best.acc)} (${best.label}) | ${best.s.toFixed(2)} | ${all} |`;
}

const flowers = await fromDirectory(`${ASSETS}/flowers`, { size: [224, 224] });
const [train, test] = await flowers.split(1 / 3, { seed: 7 });
flowers.dispose();
const rows: string[] = [];
for (const backend of BACKENDS) {
  await backends.use(backend);
  for (const key of BASES) {
    const row = await benchBase(key, backend, train, test);
    console.log(row);
    rows.push(row);
  }
}
console.log(
  `\nno options vs tuned linear probe, flowers 40/20 per class (seed 7), ${train.size} train / ${test.size} test`,
);
console.log(
  '| base | backend | no options | weightDecay | solve s | first fit s (features included) | best probe | probe s | every probe |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) console.log(r);
console.log('\ncommand: node --conditions=graft-source --import tsx bench/default-head.ts');
