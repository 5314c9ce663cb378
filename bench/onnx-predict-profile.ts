/**
 * Where `predict(x, { backend: 'onnx' })` spends the time raw onnxruntime-node does not (issue 17, item 1): the
 * float MobileNetV2 1.0 transfer model with a 1000-way head, batch 1 (BENCH_BATCH), in one run, steps interleaved:
 *   raw session.run | predictTensor (preprocessing, session.run, output tensor) | predictTensor + data() | predict
 * and, timed alone, the steps predict adds: the input copy (toPredictBatch), reading the output, formatting.
 * Run: node --conditions=graft-source --import tsx bench/onnx-predict-profile.ts   (BENCH_REPS, default 15)
 */
import os from 'node:os';
import '@graftjs/backend-wasm';
import '@graftjs/backend-onnx';
import { backends, transfer } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as ortNode from 'onnxruntime-node';
import { formatPredictions } from '../packages/core/src/model/predictions';
import { benchCommand, timeRounds } from './onnx-timing';

const REPS = Number(process.env.BENCH_REPS ?? 15);
const N = Number(process.env.BENCH_BATCH ?? 1);

await backends.use('wasm');
const model = transfer(await mobilenetV2({ alpha: 1, seed: 1 })).addHead(1000);
const raw = await ortNode.InferenceSession.create(await model.export('onnx'), {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: os.availableParallelism(),
  interOpNumThreads: 1,
  // as graft's sessions run (configureOnnx({ nativeSpinning: false }), the default)
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const x = tf.randomUniform([N, 224, 224, 3], 0, 255, 'float32', 5);
const feed = Float32Array.from({ length: N * 224 * 224 * 3 }, (_, i) => Math.sin(i));
const probs = Float32Array.from({ length: N * 1000 }, (_, i) => (i % 1000) / 1000);
const out = await model.predictTensor(x, { backend: 'onnx' });

const ms = await timeRounds(REPS, {
  'raw session.run': async () => {
    const r = await raw.run({ [raw.inputNames[0]]: new ortNode.Tensor('float32', feed, [N, 224, 224, 3]) });
    for (const t of Object.values(r)) t.dispose();
  },
  predictTensor: async () => (await model.predictTensor(x, { backend: 'onnx' })).dispose(),
  'predictTensor + data()': async () => {
    const y = await model.predictTensor(x, { backend: 'onnx' });
    await y.data();
    y.dispose();
  },
  predict: async () => void (await model.predict(x, { backend: 'onnx' })),
  'input copy (tf.clone)': async () => tf.clone(x).dispose(),
  'input read (x.data())': async () => void (await x.data()),
  'output read (data())': async () => void (await out.data()),
  'formatPredictions (1000 classes)': async () => void formatPredictions('classification', probs, 1000),
});
console.log(`command: ${benchCommand()}`);
console.log(`batch ${N}, median of ${REPS} interleaved rounds, load average ${os.loadavg()[0].toFixed(1)}\n`);
console.log('| step | ms | / raw |\n|---|---:|---:|');
for (const [name, v] of Object.entries(ms))
  console.log(`| ${name} | ${v.toFixed(2)} | ${(v / ms['raw session.run']).toFixed(2)}x |`);
tf.dispose([x, out]);
await raw.release();
model.dispose();
process.exit(0);
