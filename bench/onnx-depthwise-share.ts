/**
 * How much of onnxruntime-web's MobileNetV2 time its depthwise convolutions take (issue 17, item 1). onnxruntime's
 * MLAS has no wasm SIMD depthwise kernel (its direct depthwise path is built for wasm without SIMD and ARM64), so
 * a grouped Conv runs as im2col plus a one-row GEMM per channel. This times the exported MobileNetV2 1.0 224
 * (1000 classes, seeded BatchNorm statistics) on onnxruntime-web (1 thread, in Node) against the same export with
 * each DepthwiseConv2D written as a MaxPool of the same window, stride and padding (a cheap per-channel op of the
 * same shape; its BatchNormalization and Clip then stay unfused, so the difference is a lower bound of the
 * depthwise time), and tfjs-wasm alongside; rounds alternated, medians.
 *
 * Run: node --conditions=graft-source --import tsx bench/onnx-depthwise-share.ts   (BENCH_REPS, default 7;
 *      BENCH_BATCHES, default 1,8)
 */
import os from 'node:os';
import '@graftjs/backend-wasm';
import { configureOnnx } from '@graftjs/backend-onnx';
import { getRuntime } from '@graftjs/core/adapter';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { pair } from '../packages/backend-onnx/src/export/layer-call';
import { LAYER_CONVERTERS } from '../packages/backend-onnx/src/export/layers';
import { paddingAttrs } from '../packages/backend-onnx/src/export/same-padding';
import { benchCommand, predictVariants, timeRounds } from './onnx-timing';
import { seedBatchNorms } from './seed-batch-norms';

const REPS = Number(process.env.BENCH_REPS ?? 7);
const BATCHES = (process.env.BENCH_BATCHES ?? '1,8').split(',').map(Number);

await tf.setBackend('wasm');
configureOnnx({ numThreads: 1, runtime: 'web' });
const { model } = await mobilenetV2({ alpha: 1, includeTop: true, seed: 1 });
seedBatchNorms(model);
const onnx = getRuntime('onnx');
if (!onnx) throw new Error('the onnx runtime is not registered');
const real = await onnx.prepare({ net: model });
const depthwise = LAYER_CONVERTERS.DepthwiseConv2D;
LAYER_CONVERTERS.DepthwiseConv2D = (call, ctx) => {
  const [x] = call.inputs;
  const k = pair(call.config.kernelSize, 3);
  const s = pair(call.config.strides, 1);
  const attrs = {
    kernel_shape: { ints: k },
    strides: { ints: s },
    ...paddingAttrs(call.config.padding, x.shape, k, s),
  };
  const y = ctx.b.op('MaxPool', [ctx.get(x, 'nchw')], attrs, call.layer.name);
  return [ctx.value(call.outputShapes[0], y, 'nchw')];
};
const pooled = await onnx.prepare({ net: model }).finally(() => {
  LAYER_CONVERTERS.DepthwiseConv2D = depthwise;
});

console.log(`command: ${benchCommand()}\nload ${os.loadavg()[0].toFixed(1)}; median of ${REPS} alternated rounds\n`);
console.log('| batch | tfjs-wasm ms | onnx ms | onnx, depthwise as MaxPool ms | depthwise share of onnx (at least) |');
console.log('|---:|---:|---:|---:|---:|');
for (const n of BATCHES) {
  const x = tf.randomUniform([n, 224, 224, 3], -1, 1, 'float32', 7);
  const ms = await timeRounds(REPS, {
    ...predictVariants(model, real, x),
    pooled: async () => (await pooled.run(x)).dispose(),
  });
  const share = (ms.onnx - ms.pooled) / ms.onnx;
  console.log(
    `| ${n} | ${ms.tfjs.toFixed(1)} | ${ms.onnx.toFixed(1)} | ${ms.pooled.toFixed(1)} | ${(100 * share).toFixed(0)}% |`,
  );
  x.dispose();
}
await real.dispose();
await pooled.dispose();
model.dispose();
