/**
 * Transfer-learning feature cache benchmark (issue 3, item 8): a frozen MobileNet v1 0.25 (ImageNet weights) with a
 * 5-class softmax head on 200 flower photos, trained by
 *   (a) graft `transfer(base).freeze().addHead(5).fit(data)`: the base's pooled features are computed once, then the
 *       head alone trains on them (the feature cache);
 *   (b) plain tfjs-layers `model.fit` on the composed model (the tfjs-examples pattern: base layers `trainable = false`,
 *       head applied to `conv_pw_13_relu`), inputs scaled to [-1, 1] once up front (not timed).
 * Same backend, same 200 images, same initial head weights (GAP -> Dense 5 softmax), adam 1e-3, batch 32.
 * Each round fits a fresh graft model for N epochs and a fresh raw model for N epochs; the order flips every round
 * so that load from other processes on the shared cores hits both alike. Reported per epoch: the median over rounds.
 * graft's one-off feature computation (preprocessing included: it happens inside) is reported separately.
 * Before the rounds both run one untimed epoch on 32 photos (kernel set-up, JIT). After them a fresh graft model
 * trains LONG_EPOCHS epochs on the cached features, as a check that the pipeline reaches a sensible accuracy.
 *
 * Run: node --conditions=graft-source --import tsx bench/feature-cache.ts
 * Env: BENCH_EPOCHS (N, default 5), BENCH_ROUNDS (default 3), BENCH_BACKENDS (default wasm; e.g. wasm,cpu),
 *      BENCH_TRAIN (training images, default 200), BENCH_LONG (epochs of the accuracy check, default 50; 0 skips it),
 *      BENCH_ACCURACY=0 (skip held-out evaluations: the slow cpu backend).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@graftjs/backend-wasm';
import { backends, type Dataset, fromDirectory, type ProgressEvent, type TransferModel, transfer } from '@graftjs/core';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm').split(',').filter(Boolean);
const TRAIN = Number(process.env.BENCH_TRAIN ?? 200);
const BATCH = 32;
const LONG_EPOCHS = Number(process.env.BENCH_LONG ?? 50);
const CHECK_ACCURACY = process.env.BENCH_ACCURACY !== '0';
const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS = path.resolve(here, '..', '../shared/assets');
const WEIGHTS = path.join(ASSETS, 'mobilenet_v1_0.25_224/layers');
const FLOWERS = path.join(ASSETS, 'flowers');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface GraftRun {
  features: number;
  epochs: number[];
  total: number;
  featureEvents: number;
  usedCache: boolean;
  accuracy: number;
  testAccuracy: number;
}

interface RawRun {
  epochs: number[];
  total: number;
  accuracy: number;
  testAccuracy: number;
}

async function loadBase() {
  return mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: WEIGHTS });
}

/** One graft fit of N epochs on a fresh transfer model: features once, then the head. */
async function graftRun(model: TransferModel, train: Dataset, test: Dataset, seed: number): Promise<GraftRun> {
  const epochs: number[] = [];
  let featureEvents = 0;
  let epochStart = 0;
  let trainBegin = 0;
  const t0 = performance.now();
  await model.fit(train, {
    epochs: EPOCHS,
    batchSize: BATCH,
    seed,
    onProgress: (e: ProgressEvent) => {
      if (e.phase === 'features') featureEvents++;
    },
    onTrainBegin: () => {
      trainBegin = performance.now();
    },
    onEpochBegin: () => {
      epochStart = performance.now();
    },
    onEpochEnd: () => {
      epochs.push((performance.now() - epochStart) / 1000);
    },
  });
  const total = (performance.now() - t0) / 1000;
  const accuracy = model.history.accuracy.at(-1) ?? Number.NaN;
  const testAccuracy = CHECK_ACCURACY ? (await model.evaluate(test)).accuracy : Number.NaN;
  return {
    // everything before the first epoch: label checks (cached after the first call) and the base's features
    features: (trainBegin - t0) / 1000,
    epochs,
    total,
    featureEvents,
    usedCache: model.lastFit?.featureCache === true,
    accuracy,
    testAccuracy,
  };
}

/** The tfjs-examples pattern: base layers frozen, a head on conv_pw_13_relu, `model.fit` on the whole graph. */
function rawModel(base: tfl.LayersModel, headWeights: tf.Tensor[]): tfl.LayersModel {
  for (const l of base.layers) l.trainable = false;
  const features = base.getLayer('conv_pw_13_relu').output as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(features) as tfl.SymbolicTensor;
  const dense = tfl.layers.dense({ units: 5, activation: 'softmax' });
  const out = dense.apply(pooled) as tfl.SymbolicTensor;
  const m = tfl.model({ inputs: base.inputs, outputs: out });
  dense.setWeights(headWeights);
  m.compile({
    optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

async function rawRun(
  m: tfl.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  xTest: tf.Tensor,
  yTest: tf.Tensor,
): Promise<RawRun> {
  const epochs: number[] = [];
  let epochStart = 0;
  const t0 = performance.now();
  const h = await m.fit(xs, ys, {
    epochs: EPOCHS,
    batchSize: BATCH,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        epochStart = performance.now();
      },
      onEpochEnd: async () => {
        epochs.push((performance.now() - epochStart) / 1000);
      },
    },
  });
  const total = (performance.now() - t0) / 1000;
  const acc = (h.history.acc ?? h.history.accuracy) as number[];
  let testAccuracy = Number.NaN;
  if (CHECK_ACCURACY) {
    const evals = m.evaluate(xTest, yTest, { batchSize: BATCH }) as tf.Scalar[];
    testAccuracy = (await evals[1].data())[0];
    tf.dispose(evals);
  }
  return { epochs, total, accuracy: Number(acc.at(-1)), testAccuracy };
}

interface Row {
  backend: string;
  graft: GraftRun[];
  raw: RawRun[];
  long: { seconds: number; train: number; test: number };
  sizes: [number, number];
}

async function benchBackend(name: string, all: Dataset): Promise<Row> {
  await backends.use(name);
  // 200 training photos (40 per class, seeded stratified split), the other 100 held out for a sanity accuracy
  const [train, test] = await all.split((all.size - TRAIN) / all.size, { seed: 1 });
  const graftBase = await loadBase();
  const rawBase = (await loadBase()).model; // a second copy: graft patches its frozen BN layers to inference mode
  // raw inputs: scaled to [-1, 1] once, outside every timing (the photos are already 224x224)
  const scale = (x: tf.Tensor) => tf.tidy(() => tf.sub(tf.div(x, 127.5), 1));
  const xs = scale(train.x);
  const xTest = scale(test.x);
  const ys = tf.reshape(train.y as tf.Tensor, [-1, 1]);
  const yTest = tf.reshape(test.y as tf.Tensor, [-1, 1]);
  // untimed warm-up of both paths on 32 photos
  const nFew = Math.min(32, train.size);
  const few = train.take(Array.from({ length: nFew }, (_, i) => i));
  const warm = transfer(graftBase, { seed: 1 }).freeze().addHead(5);
  await warm.fit(few, { epochs: 1, batchSize: BATCH });
  warm.clearFeatureCache();
  const warmRaw = rawModel(rawBase, warm.net.layers.at(-1)?.getWeights() ?? []);
  const xFew = tf.slice(xs, 0, nFew);
  const yFew = tf.slice(ys, 0, nFew);
  await warmRaw.fit(xFew, yFew, { epochs: 1, batchSize: BATCH, verbose: 0 });
  for (const l of warmRaw.layers.slice(-2)) l.dispose();
  tf.dispose([xFew, yFew]);
  few.dispose();
  const graft: GraftRun[] = [];
  const raw: RawRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const model = transfer(graftBase, { seed: 1 }).freeze().addHead(5);
    const headWeights = model.net.layers.at(-1)?.getWeights() ?? [];
    if (headWeights.length !== 2) throw new Error('expected the head output Dense as the last layer');
    const rm = rawModel(rawBase, headWeights);
    const order = round % 2 ? (['raw', 'graft'] as const) : (['graft', 'raw'] as const);
    for (const who of order) {
      if (who === 'graft') graft.push(await graftRun(model, train, test, round));
      else raw.push(await rawRun(rm, xs, ys, xTest, yTest));
    }
    const g = graft.at(-1) as GraftRun;
    const r = raw.at(-1) as RawRun;
    console.error(
      `${name} round ${round + 1}: graft features ${g.features.toFixed(2)} s, epochs ${g.epochs.map((t) => t.toFixed(3)).join(' ')} s; ` +
        `raw epochs ${r.epochs.map((t) => t.toFixed(2)).join(' ')} s`,
    );
    // TransferModel.dispose() also disposes the base it was given (reported), so a round keeps the base alive and
    // frees only the cached features; the raw model shares its base's layers: dispose only its head.
    model.clearFeatureCache();
    for (const l of rm.layers.slice(-2)) l.dispose();
  }
  // the practical effect: many epochs on cached features cost little more than one pass of the base
  let longSeconds = Number.NaN;
  let longTest = Number.NaN;
  let longTrain = Number.NaN;
  if (LONG_EPOCHS > 0) {
    const long = transfer(graftBase, { seed: 1 }).freeze().addHead(5);
    const t0 = performance.now();
    await long.fit(train, { epochs: LONG_EPOCHS, batchSize: BATCH, seed: 7 });
    longSeconds = (performance.now() - t0) / 1000;
    longTest = CHECK_ACCURACY ? (await long.evaluate(test)).accuracy : Number.NaN;
    longTrain = long.history.accuracy.at(-1) ?? Number.NaN;
    long.clearFeatureCache();
  }
  const sizes: [number, number] = [train.size, test.size];
  tf.dispose([xs, xTest, ys, yTest]);
  graftBase.model.dispose();
  rawBase.dispose();
  train.dispose();
  test.dispose();
  return { backend: name, graft, raw, long: { seconds: longSeconds, train: longTrain, test: longTest }, sizes };
}

if (!existsSync(FLOWERS) || !existsSync(WEIGHTS)) {
  console.warn(`skipped: ${ASSETS} (flowers, mobilenet_v1_0.25_224) is absent`);
  process.exit(0);
}
const load0 = os.loadavg()[0];
await backends.use('wasm');
const all = await fromDirectory(FLOWERS, { size: [224, 224] });
const rows: Row[] = [];
for (const b of BACKENDS) rows.push(await benchBackend(b, all));
all.dispose();

const s = (v: number) => v.toFixed(3);
console.log(
  `\n### Feature cache: frozen MobileNet v1 0.25 + Dense(5) head, ~${TRAIN} flower photos, batch ${BATCH}, ` +
    `${EPOCHS} epochs, median of ${ROUNDS} alternating rounds (seconds)\n`,
);
for (const r of rows) {
  const gEpoch = (i: number) => median(r.graft.map((g) => g.epochs[i]));
  const rEpoch = (i: number) => median(r.raw.map((w) => w.epochs[i]));
  console.log(`**${r.backend}**, ${r.sizes[0]} training photos (stratified), ${r.sizes[1]} held out\n`);
  console.log('| epoch | graft (cached features) | raw tfjs-layers fit | raw / graft |');
  console.log('|---|---:|---:|---:|');
  for (let i = 0; i < EPOCHS; i++) {
    console.log(`| ${i + 1} | ${s(gEpoch(i))} | ${s(rEpoch(i))} | ${(rEpoch(i) / gEpoch(i)).toFixed(0)}x |`);
  }
  const later = (runs: { epochs: number[] }[]) =>
    median(runs.map((x) => x.epochs.slice(1).reduce((a, b) => a + b, 0) / (x.epochs.length - 1)));
  const gLater = later(r.graft);
  const rLater = later(r.raw);
  const gTotal = median(r.graft.map((g) => g.total));
  const rTotal = median(r.raw.map((w) => w.total));
  console.log(`| mean of epochs 2..${EPOCHS} | ${s(gLater)} | ${s(rLater)} | **${(rLater / gLater).toFixed(0)}x** |`);
  console.log(`| one-off feature computation | ${s(median(r.graft.map((g) => g.features)))} | - | |`);
  console.log(`| total fit, ${EPOCHS} epochs | ${s(gTotal)} | ${s(rTotal)} | ${(rTotal / gTotal).toFixed(1)}x |`);
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  console.log(
    `\nfeature cache used: ${r.graft.every((g) => g.usedCache)}; 'features' progress events per fit: ` +
      `${r.graft.map((g) => g.featureEvents).join(', ')}; final train accuracy graft ${r.graft.map((g) => pct(g.accuracy)).join('/')}` +
      ` raw ${r.raw.map((w) => pct(w.accuracy)).join('/')}; held-out accuracy graft ` +
      `${r.graft.map((g) => pct(g.testAccuracy)).join('/')} raw ${r.raw.map((w) => pct(w.testAccuracy)).join('/')}`,
  );
  console.log(
    `graft epochs 2..${EPOCHS} mean per round: ${r.graft.map((g) => s(later([g]))).join(', ')} s; ` +
      `raw: ${r.raw.map((w) => s(later([w]))).join(', ')} s`,
  );
  if (LONG_EPOCHS > 0)
    console.log(
      `graft, fresh model, ${LONG_EPOCHS} epochs on cached features: ${r.long.seconds.toFixed(1)} s in all (features included); ` +
        `train accuracy ${pct(r.long.train)}, held-out accuracy ${pct(r.long.test)}\n`,
    );
}
const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(
  `machine: ${os.cpus().length} cores (${cpu}), shared with other processes; load average ${load0.toFixed(1)} -> ` +
    `${os.loadavg()[0].toFixed(1)}; node ${process.version}, tfjs ${tf.version_core}`,
);
const env = [
  process.env.BENCH_EPOCHS ? `BENCH_EPOCHS=${EPOCHS}` : '',
  process.env.BENCH_ROUNDS ? `BENCH_ROUNDS=${ROUNDS}` : '',
  process.env.BENCH_BACKENDS ? `BENCH_BACKENDS=${BACKENDS.join(',')}` : '',
  process.env.BENCH_TRAIN ? `BENCH_TRAIN=${TRAIN}` : '',
  process.env.BENCH_LONG ? `BENCH_LONG=${LONG_EPOCHS}` : '',
  CHECK_ACCURACY ? '' : 'BENCH_ACCURACY=0',
]
  .filter(Boolean)
  .join(' ');
console.log(`command: ${env ? `${env} ` : ''}node --conditions=graft-source --import tsx bench/feature-cache.ts`);
