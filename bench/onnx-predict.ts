/**
 * Predict latency of a MobileNet-v2 (alpha 1.0, 224x224, 1000 classes, random seeded weights) through
 * tfjs-wasm (`model.predict`) and through onnxruntime-web (graft's "onnx" runtime: the same model exported
 * to ONNX, one session), batch 1 and 16. Median of BENCH_REPS timed runs after one warm-up.
 *
 * Run: node --conditions=graft-source --import tsx bench/onnx-predict.ts
 * Env: BENCH_REPS (default 5), BENCH_THREADS (onnxruntime wasm threads, default 1; tfjs-wasm in Node is single-threaded),
 *      BENCH_ALPHA (default 1.0), BENCH_BATCHES (default 1,16).
 */
import '@graftjs/backend-wasm';
import { configureOnnx } from '@graftjs/backend-onnx';
import { getRuntime } from '@graftjs/core/adapter';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { benchCommand } from './onnx-timing';
import { seedBatchNorms } from './seed-batch-norms';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const ALPHA = Number(process.env.BENCH_ALPHA ?? 1);
const BATCHES = (process.env.BENCH_BATCHES ?? '1,16').split(',').map(Number);

async function median(fn: () => Promise<void>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  // this bench compares onnxruntime-web with tfjs-wasm (the browser's pair); bench/onnx-native.ts has native
  configureOnnx({ numThreads: THREADS, runtime: 'web' });
  const { model } = await mobilenetV2({ alpha: ALPHA, includeTop: true, seed: 1 });
  seedBatchNorms(model);
  const prepared = await getRuntime('onnx')!.prepare({ net: model });

  console.log(`command: ${benchCommand()}`);
  console.log(
    `MobileNetV2 alpha ${ALPHA} 224x224x3 -> 1000, tfjs ${tf.version_core} (${tf.getBackend()}), onnxruntime-web wasm ${THREADS} thread(s), median of ${REPS}`,
  );
  console.log('| batch | tfjs-wasm ms | onnxruntime-web ms | tfjs / onnx | max abs diff (output max) |');
  console.log('|---|---|---|---|---|');
  for (const n of BATCHES) {
    const x = tf.randomUniform([n, 224, 224, 3], -1, 1, 'float32', 7);
    const tfjsMs = await median(async () => {
      const y = model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    const onnxMs = await median(async () => {
      const y = await prepared.run(x);
      y.dispose();
    });
    const a = model.predict(x) as tf.Tensor;
    const b = await prepared.run(x);
    const d = tf.max(tf.abs(tf.sub(a, b)));
    const top = tf.max(a);
    const [diff, peak] = [(await d.data())[0], (await top.data())[0]];
    tf.dispose([x, a, b, d, top]);
    console.log(
      `| ${n} | ${tfjsMs.toFixed(1)} | ${onnxMs.toFixed(1)} | ${(tfjsMs / onnxMs).toFixed(2)}x | ${diff.toExponential(1)} (${peak.toFixed(3)}) |`,
    );
  }
  await prepared.dispose();
  model.dispose();
}

await main();
