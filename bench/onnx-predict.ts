/**
 * Predict latency of a MobileNetV2 (alpha 1.0, 224x224, the zoo's architecture with seeded weights and BatchNorm
 * statistics, a 1000-way head) in Node: graft's `predictTensor` on tfjs-wasm (with the folded inference plan, and
 * with folding off: plain tfjs-layers predict) against `predictTensor(x, { backend: 'onnx' })` (the same model
 * exported to ONNX, one onnxruntime-web session), batch 1 and 16. The three alternate in each round (so a burst of
 * load from other processes hits all of them); medians of BENCH_REPS rounds after one warm-up.
 *
 * Run: node --conditions=graft-source --import tsx bench/onnx-predict.ts
 * Env: BENCH_REPS (default 5), BENCH_THREADS (onnxruntime wasm threads, default 1; tfjs-wasm in Node is single-threaded),
 *      BENCH_ALPHA (default 1.0), BENCH_BATCHES (default 1,16).
 */
import os from 'node:os';
import '@graftjs/backend-wasm';
import { configureOnnx } from '@graftjs/backend-onnx';
import { backends, setInferenceFolding, transfer } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { benchCommand, timeRounds } from './onnx-timing';
import { seedBatchNorms } from './seed-batch-norms';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const ALPHA = Number(process.env.BENCH_ALPHA ?? 1);
const BATCHES = (process.env.BENCH_BATCHES ?? '1,16').split(',').map(Number);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  await backends.use('wasm');
  // this bench compares onnxruntime-web with tfjs-wasm (the browser's pair); bench/onnx-native.ts has native
  configureOnnx({ numThreads: THREADS, runtime: 'web' });
  const base = await mobilenetV2({ alpha: ALPHA, seed: 1 });
  seedBatchNorms(base.model);
  const model = transfer(base).addHead(1000);
  const tfjs = async () => {
    const y = await model.predictTensor(x);
    await y.data();
    y.dispose();
  };
  let x = tf.zeros([1, 224, 224, 3]);
  await model.predictTensor(x, { backend: 'onnx' }).then((y) => y.dispose());

  console.log(`command: ${benchCommand()}`);
  console.log(
    `MobileNetV2 alpha ${ALPHA} 224x224x3 -> 1000, tfjs ${tf.version_core} (wasm), onnxruntime-web wasm ${THREADS} thread(s), median of ${REPS} alternated rounds; load ${load()}`,
  );
  console.log(
    '| batch | tfjs-wasm folded ms | tfjs-wasm unfolded ms | onnxruntime-web ms | folded / onnx | unfolded / onnx | max abs diff (output max) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const n of BATCHES) {
    x.dispose();
    x = tf.randomUniform([n, 224, 224, 3], 0, 255, 'float32', 7);
    const ms = await timeRounds(REPS, {
      folded: tfjs,
      unfolded: async () => {
        setInferenceFolding(false);
        await tfjs().finally(() => setInferenceFolding(true));
      },
      onnx: async () => (await model.predictTensor(x, { backend: 'onnx' })).dispose(),
    });
    const a = await model.predictTensor(x);
    const b = await model.predictTensor(x, { backend: 'onnx' });
    const d = tf.max(tf.abs(tf.sub(a, b)));
    const top = tf.max(a);
    const [diff, peak] = [(await d.data())[0], (await top.data())[0]];
    tf.dispose([a, b, d, top]);
    const cells = [ms.folded, ms.unfolded, ms.onnx].map((v) => v.toFixed(1));
    const ratios = [ms.folded / ms.onnx, ms.unfolded / ms.onnx].map((r) => `${r.toFixed(2)}x`);
    console.log(`| ${n} | ${[...cells, ...ratios].join(' | ')} | ${diff.toExponential(1)} (${peak.toFixed(3)}) |`);
  }
  console.log(`load after: ${load()}`);
  x.dispose();
  model.dispose();
}

await main();
