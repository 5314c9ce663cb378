// Per-kernel time of a MobileNetV2 (alpha 0.35, 96x96) training epoch and inference pass on wasm, and of the
// seed's MLP inference: every registered wasm kernel is wrapped with a timer (wasm kernels run synchronously, so
// the time inside kernelFunc is the kernel's), and the rest of the wall time is engine and loop overhead.
// Run: node --conditions=graft-source --import tsx bench/wasm-profile.ts   (BENCH_MODEL=mlp or mobilenet for one, none for neither)
// BENCH_ADAM_AB=N: MobileNetV2 training epochs with tfjs' Adam and Mean gradient, then graft's fused Adam and Mean
// gradient, alternated N times in one run; then the Adam update alone, 5N times each.
// BENCH_PASSES=N: inference timed over N passes, the fastest reported (default 1).
import { backends, type Model } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import '@graftjs/backend-wasm';
import { useFusedAdam } from '../packages/backend-wasm/src/kernels/fused-adam';
import { useGraftMeanGrad } from '../packages/backend-wasm/src/kernels/gradients';
import { benchData, benchMlp, benchMobilenet } from './bench-models';

/** BENCH_SPLIT=1: each kernel's calls split by their largest input (weights-sized or activation-sized). */
const split = process.env.BENCH_SPLIT === '1';
const sizeClass = (inputs: Record<string, tf.TensorInfo | undefined>) => {
  const largest = Math.max(0, ...Object.values(inputs).map((t) => (t ? t.shape.reduce((a, b) => a * b, 1) : 0)));
  return largest < 16384 ? '(< 16k elements)' : '(>= 16k elements)';
};
const stats = new Map<string, { calls: number; ms: number }>();
let depth = 0;
for (const config of tf.getKernelsForBackend('wasm')) {
  const inner = config.kernelFunc;
  const name = config.kernelName;
  // Only the outermost kernel counts: graft's kernels call stock ones directly, not through the registry.
  config.kernelFunc = ((args: { inputs: Record<string, tf.TensorInfo | undefined> }) => {
    if (depth > 0) return inner(args as never);
    depth++;
    const t0 = performance.now();
    try {
      return inner(args as never);
    } finally {
      depth--;
      const key = split ? `${name} ${sizeClass(args.inputs)}` : name;
      const s = stats.get(key) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - t0;
      stats.set(key, s);
    }
  }) as typeof inner;
}

function report(title: string, wallMs: number, batches: number): void {
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((s, [, v]) => s + v.ms, 0);
  console.log(
    `\n### ${title}: ${(wallMs / batches).toFixed(1)} ms per batch of 64, ${(inKernels / batches).toFixed(1)} ms in kernels\n`,
  );
  console.log('| kernel | calls per batch | ms per batch | share of wall |\n|---|---:|---:|---:|');
  for (const [name, v] of rows.slice(0, 20)) {
    console.log(
      `| ${name} | ${(v.calls / batches).toFixed(0)} | ${(v.ms / batches).toFixed(2)} | ${((100 * v.ms) / wallMs).toFixed(1)}% |`,
    );
  }
  const other = wallMs - inKernels;
  console.log(
    `| (outside kernels: engine, tape, loop) | | ${(other / batches).toFixed(2)} | ${((100 * other) / wallMs).toFixed(1)}% |`,
  );
  stats.clear();
}

async function profile(name: string, shape: number[], n: number, build: () => Promise<Model>, train: boolean) {
  const ds = benchData(shape, n);
  const model = await build();
  if (train) {
    await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false });
    stats.clear();
    const t0 = performance.now();
    await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false });
    report(`${name} training`, performance.now() - t0, n / 64);
  }
  (await model.predictTensor(ds.x, { batchSize: 64 })).dispose();
  // BENCH_PASSES=N: N timed inference passes, the fastest one reported (the machine is shared)
  let best: { ms: number; kernels: typeof stats } | null = null;
  for (let p = 0; p < Number(process.env.BENCH_PASSES ?? 1); p++) {
    stats.clear();
    const t1 = performance.now();
    const out = await model.predictTensor(ds.x, { batchSize: 64 });
    await out.data();
    const ms = performance.now() - t1;
    out.dispose();
    if (!best || ms < best.ms) best = { ms, kernels: new Map(stats) };
  }
  stats.clear();
  for (const [k, v] of best?.kernels ?? []) stats.set(k, v);
  report(`${name} inference`, best?.ms ?? 0, n / 64);
  ds.dispose();
  await model.dispose();
}

/**
 * Training ms per batch with tfjs' Adam update and Mean gradient and with graft's (epochs alternated; medians per
 * batch), then the Adam update alone, tfjs' against the fused one.
 */
async function adamAB(rounds: number): Promise<void> {
  const ds = benchData([96, 96, 3], 256);
  const model = await benchMobilenet();
  const BEFORE = "tfjs' Adam and Mean gradient";
  const AFTER = "graft's fused Adam and Mean gradient";
  const times: Record<string, number[]> = { [BEFORE]: [], [AFTER]: [] };
  for (let r = -1; r < rounds; r++) {
    for (const [name, on] of [
      [BEFORE, false],
      [AFTER, true],
    ] as const) {
      useFusedAdam(on);
      useGraftMeanGrad(on);
      const t0 = performance.now();
      await model.fit(ds, { epochs: 1, batchSize: 64, featureCache: false });
      if (r >= 0) times[name].push((performance.now() - t0) / 4); // r = -1 warms both up
    }
  }
  // the update alone, on the model's own trainable weights, alternated many times: less noise than whole epochs
  const weights = model.net.trainableWeights.map((w) => w.read() as tf.Variable);
  const grads = weights.map((w, i) => ({ name: w.name, tensor: tf.randomNormal(w.shape, 0, 1e-3, 'float32', i) }));
  const opts = { 'tfjs Adam': tf.train.adam(1e-3), 'fused Adam': tf.train.adam(1e-3) };
  const steps: Record<string, number[]> = { 'tfjs Adam': [], 'fused Adam': [] };
  for (let r = -1; r < 5 * rounds; r++) {
    for (const [name, opt] of Object.entries(opts)) {
      useFusedAdam(name === 'fused Adam');
      const t0 = performance.now();
      opt.applyGradients(grads);
      if (r >= 0) steps[name].push(performance.now() - t0);
    }
  }
  useFusedAdam(true);
  useGraftMeanGrad(true);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(`\n### MobileNetV2 0.35 96x96 training, ms per batch of 64 (median of ${rounds} alternated epochs)\n`);
  console.log('| update | ms per batch (median) | each epoch |\n|---|---:|---|');
  for (const [name, v] of Object.entries(times))
    console.log(`| ${name} | ${median(v).toFixed(1)} | ${v.map((x) => x.toFixed(0)).join(', ')} |`);
  const values = weights.reduce((a, w) => a + w.size, 0).toLocaleString('en');
  console.log(
    `\nThe update alone (${weights.length} weight tensors, ${values} values), median of ${5 * rounds} alternated steps:\n`,
  );
  console.log('| update | ms per step | min |\n|---|---:|---:|');
  for (const [name, v] of Object.entries(steps))
    console.log(`| ${name} | ${median(v).toFixed(2)} | ${Math.min(...v).toFixed(2)} |`);
  for (const o of Object.values(opts)) o.dispose();
  tf.dispose(grads.map((g) => g.tensor));
  ds.dispose();
  await model.dispose();
}

await backends.use('wasm');
if (process.env.BENCH_ADAM_AB) {
  stats.clear();
  await adamAB(Number(process.env.BENCH_ADAM_AB));
  stats.clear();
}
const only = process.env.BENCH_MODEL;
if (only === undefined || only === 'mobilenet') {
  await profile('MobileNetV2 0.35 96x96', [96, 96, 3], 256, benchMobilenet, true);
}
if (only === undefined || only === 'mlp') {
  await profile('MLP 784-128-64-10', [28, 28], 4096, async () => benchMlp(), false);
}
process.exit(0);
