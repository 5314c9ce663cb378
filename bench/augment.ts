/**
 * Augmentation on the shared flowers (issue 15, item 1): a frozen MobileNet v1 0.25 (ImageNet weights) and the
 * no-options head, `transfer(base).freeze().addHead(5).fit(train)` (features cached, head solved), with and without
 * `augment({ flip: 'horizontal', rotation: 0.1, zoom: 0.1, views: K })`, at L labelled photos per class.
 *
 * Splits, per seed: each class's 60 photos are shuffled by the seed; the first BENCH_TEST (default 20) per class are
 * the test set, the same photos in every cell of that seed and never trained on; the next 40 are the 40-per-class
 * training set, and its first 10 the 10-per-class one. Training sets are fresh tensors (not splits of the whole
 * folder), so a fit embeds its own photos only: (1 + K) x n with augmentation, n without.
 *
 * "embedded" counts the images that went through the base's first convolution during the fit (a counter on that
 * layer, independent of graft's own bookkeeping): it shows augmentation costs 1 + K feature passes, once, whatever
 * the number of epochs. Feature s: fit start to training start (the feature pass); head s: the rest of the fit.
 *
 * Run: node --conditions=graft-source --import tsx bench/augment.ts
 * Env: BENCH_SEEDS (default 1,2,3), BENCH_VIEWS (default 4; e.g. 4,8), BENCH_LABELS (default 10,40),
 *      BENCH_TEST (test photos per class, default 20), BENCH_BACKEND (default wasm),
 *      BENCH_AUG (the augmentation as JSON, default {"flip":"horizontal","rotation":0.1,"zoom":0.1}).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@graftjs/backend-wasm';
import { type AugmentSpec, backends, Dataset, fromDirectory, type LayersBackbone, transfer } from '@graftjs/core';
import { mobilenetV1 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';

const list = (v: string | undefined, d: string) => (v ?? d).split(',').filter(Boolean).map(Number);
const SEEDS = list(process.env.BENCH_SEEDS, '1,2,3');
const VIEWS = list(process.env.BENCH_VIEWS, '4');
const LABELS = list(process.env.BENCH_LABELS, '10,40');
const TEST = Number(process.env.BENCH_TEST ?? 20);
const BACKEND = process.env.BENCH_BACKEND ?? 'wasm';
const AUG = JSON.parse(process.env.BENCH_AUG ?? '{"flip":"horizontal","rotation":0.1,"zoom":0.1}') as AugmentSpec;
const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS = path.resolve(here, '..', '../shared/assets');

/** mulberry32: the bench's own seeded shuffle, so the splits do not depend on graft's. */
function shuffled(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Counts the rows entering the base's first layer with weights (every feature pass and evaluation goes through it). */
function countImages(base: LayersBackbone): { readonly n: number; reset(): void } {
  const layer = base.model.layers.find((l) => l.weights.length > 0);
  if (!layer) throw new Error('the base has no layer with weights');
  const state = { n: 0 };
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    state.n += (Array.isArray(inputs) ? inputs[0] : inputs).shape[0] ?? 0;
    return call(inputs, kwargs);
  };
  return {
    get n() {
      return state.n;
    },
    reset() {
      state.n = 0;
    },
  };
}

interface Cell {
  labels: number;
  views: number;
  seed: number;
  accuracy: number;
  embedded: number;
  featureSeconds: number;
  headSeconds: number;
  weightDecay?: number;
}

const seconds = (t0: number, t1 = performance.now()) => (t1 - t0) / 1000;

await backends.use(BACKEND);
const base = (await mobilenetV1({
  alpha: 0.25,
  weights: 'imagenet',
  from: `${ASSETS}/mobilenet_v1_0.25_224/layers`,
})) as LayersBackbone;
const counter = countImages(base);
let t0 = performance.now();
const flowers = await fromDirectory(`${ASSETS}/flowers`, { size: [224, 224] });
const classNames = [...(flowers.classNames ?? [])];
const labelOf = Array.from(await (flowers.y as tf.Tensor).data(), Math.round);
console.log(`decoded ${flowers.size} photos in ${seconds(t0).toFixed(1)} s; backend ${BACKEND}`);

/** A Dataset of the photos at `rows`, as a fresh tensor (its own feature cache entry). */
function subset(rows: number[]): Dataset {
  const x = tf.tidy(() => tf.gather(flowers.x, tf.tensor1d(rows, 'int32')));
  try {
    return Dataset.from(
      x,
      rows.map((r) => classNames[labelOf[r]]),
      { classNames },
    );
  } finally {
    x.dispose(); // Dataset.from keeps a clone
  }
}

/** One fit of `model` on `train`, timed and counted, then its accuracy on `test`. */
async function cell(
  model: ReturnType<ReturnType<typeof transfer>['addHead']>,
  train: Dataset,
  test: Dataset,
  meta: Pick<Cell, 'labels' | 'views' | 'seed'>,
): Promise<Cell> {
  counter.reset();
  let trainBegin = 0;
  const start = performance.now();
  await model.fit(train, {
    seed: meta.seed,
    onTrainBegin: () => {
      trainBegin = performance.now();
    },
  });
  const end = performance.now();
  const embedded = counter.n;
  const accuracy = (await model.evaluate(test)).accuracy;
  const out: Cell = {
    ...meta,
    accuracy,
    embedded,
    featureSeconds: seconds(start, trainBegin),
    headSeconds: seconds(trainBegin, end),
    weightDecay: model.lastFit?.weightDecay,
  };
  console.log(JSON.stringify(out));
  return out;
}

const cells: Cell[] = [];
const load0 = os.loadavg()[0];
t0 = performance.now();
for (const seed of SEEDS) {
  const test: number[] = [];
  const pool: number[][] = [];
  for (let c = 0; c < classNames.length; c++) {
    const rows = labelOf.flatMap((l, i) => (l === c ? [i] : []));
    const order = shuffled(rows.length, seed * 101 + c).map((i) => rows[i]);
    test.push(...order.slice(0, TEST));
    pool.push(order.slice(TEST));
  }
  const testData = subset(test);
  for (const labels of LABELS) {
    const train = subset(pool.flatMap((rows) => rows.slice(0, labels)));
    const model = transfer(base).freeze().addHead(classNames.length);
    cells.push(await cell(model, train, testData, { labels, views: 0, seed }));
    for (const views of VIEWS) {
      model.augment({ ...AUG, views, seed });
      cells.push(await cell(model, train, testData, { labels, views, seed }));
    }
    await model.dispose();
    train.dispose();
  }
  testData.dispose();
}
const total = seconds(t0);

const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `\nflowers, ${TEST} test photos per class (${TEST * classNames.length}, disjoint from training), seeds ${SEEDS.join(',')}, ` +
    `${BACKEND}, ${new Date().toISOString()}, load average ${load0.toFixed(1)} at start / ${os.loadavg()[0].toFixed(1)} at end, ${total.toFixed(0)} s in all`,
);
console.log(
  '| labels per class | augmentation | accuracy, mean (each seed) | images embedded per fit | feature s | head s | weight decay chosen |',
);
console.log('|---:|---|---|---:|---:|---:|---|');
for (const labels of LABELS) {
  for (const views of [0, ...VIEWS]) {
    const group = cells.filter((c) => c.labels === labels && c.views === views);
    const each = group.map((c) => pct(c.accuracy)).join(', ');
    const aug = views === 0 ? 'none' : `${JSON.stringify(AUG)}, K = ${views}`;
    const embedded = [...new Set(group.map((c) => c.embedded))].join(' / ');
    const decays = group.map((c) => c.weightDecay ?? '-').join(', ');
    console.log(
      `| ${labels} | ${aug} | **${pct(mean(group.map((c) => c.accuracy)))}** (${each}) | ${embedded} | ` +
        `${mean(group.map((c) => c.featureSeconds)).toFixed(1)} | ${mean(group.map((c) => c.headSeconds)).toFixed(1)} | ${decays} |`,
    );
  }
}
flowers.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);
