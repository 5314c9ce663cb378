/**
 * Native ONNX Runtime in Node (issue 17, item 1): in one run, on the same model and batch (1 and 16),
 *   int8 MobileNetV2 1.0 file (../shared/assets/mobilenetv2-12-int8):
 *     raw onnxruntime-node `session.run` (NCHW input, logits) | graft `onnxBackbone(...).extract` on native
 *     (NHWC input, 1280-d features) | the same backbone on onnxruntime-web | raw onnxruntime-web
 *   float MobileNetV2 1.0 graft model (zoo architecture, seeded weights, 1000-way head), exported to ONNX:
 *     raw onnxruntime-node on the exported bytes | graft `predict(x, { backend: 'onnx' })` (native) | graft
 *     `predictTensor(x, { backend: 'onnx' })` | raw onnxruntime-web | tfjs-wasm `predictTensor`
 * Raw onnxruntime-node runs twice: with its defaults (intra-op threads spin between runs) and with spinning off,
 * as graft's sessions run by default (configureOnnx({ nativeSpinning })).
 * Each rep runs every variant once, in turn, so load from other processes hits them alike; medians are printed,
 * with graft's time over raw onnxruntime-node's (target <= 1.2x) and tfjs-wasm over each.
 *
 * Run: node --conditions=graft-source --import tsx bench/onnx-native.ts
 * Env: BENCH_REPS (default 9), BENCH_BATCHES (default 1,16), BENCH_WEB_THREADS (onnxruntime-web threads, default 1),
 *      BENCH_NATIVE_THREADS (onnxruntime-node intra-op threads, default: the cores, graft's default too).
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '@graftjs/backend-wasm';
import { configureOnnx, onnxBackbone } from '@graftjs/backend-onnx';
import { backends, transfer } from '@graftjs/core';
import { mobilenetV2 } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { benchCommand, timeRounds, type Variant } from './onnx-timing';

const REPS = Number(process.env.BENCH_REPS ?? 9);
const BATCHES = (process.env.BENCH_BATCHES ?? '1,16').split(',').map(Number);
const WEB_THREADS = Number(process.env.BENCH_WEB_THREADS ?? 1);
const NATIVE_THREADS = Number(process.env.BENCH_NATIVE_THREADS ?? os.availableParallelism());
const here = path.dirname(fileURLToPath(import.meta.url));
const INT8 = path.resolve(here, '..', '../shared/assets/mobilenetv2-12-int8/mobilenetv2-12-int8.onnx');
const PRE = {
  size: [224, 224] as [number, number],
  range: [0, 1] as [number, number],
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
};

type Session = ortNode.InferenceSession | ortWeb.InferenceSession;

/** A raw session.run on a fresh input each call: what an app calling onnxruntime itself pays. */
function rawRun(session: Session, Tensor: typeof ortNode.Tensor | typeof ortWeb.Tensor, dims: number[]): Variant {
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
  return async () => {
    const out = await session.run({ [session.inputNames[0]]: new Tensor('float32', data, dims) });
    for (const t of Object.values(out)) t.dispose();
  };
}

/** onnxruntime-node with its defaults (intra-op threads spinning), or with spinning off as graft's sessions are. */
async function nativeSession(bytes: Uint8Array, spinning = true): Promise<ortNode.InferenceSession> {
  return ortNode.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: NATIVE_THREADS,
    interOpNumThreads: 1,
    ...(spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  });
}

function webSession(bytes: Uint8Array): Promise<ortWeb.InferenceSession> {
  return ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

function printTable(title: string, rows: { batch: number; ms: Record<string, number> }[], ratios: string[][]): void {
  const names = Object.keys(rows[0].ms);
  console.log(`\n${title}`);
  console.log(
    `| batch | ${names.map((n) => `${n} ms`).join(' | ')} | ${ratios.map(([a, b]) => `${a} / ${b}`).join(' | ')} |`,
  );
  console.log(`|---|${names.map(() => '---|').join('')}${ratios.map(() => '---|').join('')}`);
  for (const r of rows) {
    const cells = names.map((n) => r.ms[n].toFixed(2));
    const rs = ratios.map(([a, b]) => `${(r.ms[a] / r.ms[b]).toFixed(2)}x`);
    console.log(`| ${r.batch} | ${cells.join(' | ')} | ${rs.join(' | ')} |`);
  }
}

async function int8Section(): Promise<void> {
  if (!existsSync(INT8)) {
    console.log(`\n(int8 section skipped: ${INT8} not found)`);
    return;
  }
  const bytes = new Uint8Array(readFileSync(INT8));
  configureOnnx({ runtime: 'native' });
  const nativeBase = await onnxBackbone(bytes, { preprocessing: PRE, name: 'int8-native' });
  configureOnnx({ runtime: 'web' });
  const webBase = await onnxBackbone(bytes, { preprocessing: PRE, name: 'int8-web' });
  configureOnnx({ runtime: 'auto' });
  const rawNative = await nativeSession(bytes);
  const rawQuiet = await nativeSession(bytes, false);
  const rawWeb = await webSession(bytes);
  const rows = [];
  for (const n of BATCHES) {
    const x = tf.randomUniform([n, 224, 224, 3], -2, 2, 'float32', 3);
    const extract =
      (base: typeof nativeBase): Variant =>
      async () =>
        (await base.extract(x)).dispose();
    const ms = await timeRounds(REPS, {
      'raw onnxruntime-node, no spinning': rawRun(rawQuiet, ortNode.Tensor, [n, 3, 224, 224]),
      'graft extract (native)': extract(nativeBase),
      'graft extract (web)': extract(webBase),
      'raw onnxruntime-web': rawRun(rawWeb, ortWeb.Tensor, [n, 3, 224, 224]),
      // last in each round: its threads spin on after the run and would slow whatever came next
      'raw onnxruntime-node': rawRun(rawNative, ortNode.Tensor, [n, 3, 224, 224]),
    });
    x.dispose();
    rows.push({ batch: n, ms });
  }
  printTable('int8 MobileNetV2 1.0 (ONNX file): onnxBackbone feature extraction', rows, [
    ['graft extract (native)', 'raw onnxruntime-node'],
    ['graft extract (native)', 'raw onnxruntime-node, no spinning'],
    ['graft extract (web)', 'graft extract (native)'],
  ]);
  nativeBase.dispose?.();
  webBase.dispose?.();
  await rawNative.release();
  await rawQuiet.release();
  await rawWeb.release();
}

async function floatSection(): Promise<void> {
  const base = await mobilenetV2({ alpha: 1, seed: 1 });
  const model = transfer(base).addHead(1000);
  const bytes = await model.export('onnx');
  const rawNative = await nativeSession(bytes);
  const rawQuiet = await nativeSession(bytes, false);
  const rawWeb = await webSession(bytes);
  const rows = [];
  for (const n of BATCHES) {
    const x = tf.randomUniform([n, 224, 224, 3], 0, 255, 'float32', 5);
    const ms = await timeRounds(REPS, {
      'raw onnxruntime-node, no spinning': rawRun(rawQuiet, ortNode.Tensor, [n, 224, 224, 3]),
      'graft predict (onnx)': async () => void (await model.predict(x, { backend: 'onnx' })),
      'graft predictTensor (onnx)': async () => (await model.predictTensor(x, { backend: 'onnx' })).dispose(),
      'raw onnxruntime-web': rawRun(rawWeb, ortWeb.Tensor, [n, 224, 224, 3]),
      'tfjs-wasm predictTensor': async () => {
        const y = await model.predictTensor(x);
        await y.data();
        y.dispose();
      },
      // last in each round: its threads spin on after the run and would slow whatever came next
      'raw onnxruntime-node': rawRun(rawNative, ortNode.Tensor, [n, 224, 224, 3]),
    });
    x.dispose();
    rows.push({ batch: n, ms });
  }
  printTable('MobileNetV2 1.0 float graft model (transfer + 1000-way head), exported to ONNX', rows, [
    ['graft predict (onnx)', 'raw onnxruntime-node'],
    ['graft predict (onnx)', 'raw onnxruntime-node, no spinning'],
    ['graft predictTensor (onnx)', 'raw onnxruntime-node, no spinning'],
    ['tfjs-wasm predictTensor', 'graft predict (onnx)'],
    ['raw onnxruntime-web', 'raw onnxruntime-node'],
  ]);
  await rawNative.release();
  await rawQuiet.release();
  await rawWeb.release();
  model.dispose();
}

async function main(): Promise<void> {
  await backends.use('wasm');
  ortWeb.env.wasm.numThreads = WEB_THREADS;
  configureOnnx({ numThreads: WEB_THREADS, nativeThreads: NATIVE_THREADS });
  console.log(`command: ${benchCommand()}`);
  console.log(
    `onnxruntime-node ${ortNode.env.versions.node} (${NATIVE_THREADS} intra-op threads), onnxruntime-web ${ortWeb.env.versions.web} (${WEB_THREADS} wasm threads), tfjs ${tf.version_core} (wasm); ${os.cpus().length} cpus (${os.cpus()[0]?.model}); median of ${REPS}, variants interleaved`,
  );
  await int8Section();
  await floatSection();
  const onnx = (await backends.list()).find((b) => b.name === 'onnx');
  console.log(`\nbackends.list() onnx: ${onnx?.reason}`);
}

await main();
