// The page of bench/onnx-browser.ts: one MobileNetV2 1.0 (zoo architecture, seeded weights, 1000-way head), timed on
// tfjs-wasm and on onnxruntime-web (graft's "onnx" runtime), exposed as window.onnxBench for Playwright.
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { backends, configureWasm, env, transfer } from 'graftjs';
import { configureOnnx } from 'graftjs/onnx';
import { mobilenetV2 } from 'graftjs/zoo';
import { timeRounds } from '../onnx-timing';
import { seedBatchNorms } from '../seed-batch-norms';

export interface PageInfo {
  crossOriginIsolated: boolean;
  cores: number;
  wasm: string;
  onnx: string;
}

export interface BatchTiming {
  batch: number;
  ms: Record<string, number>;
  maxAbsDiff: number;
  outputMax: number;
}

configureWasm({
  'tfjs-backend-wasm.wasm': tfjsWasm,
  'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreaded,
});

type Bench = ReturnType<ReturnType<typeof transfer>['addHead']>;
let model: Bench | undefined;

/** What each backend says about itself (threads included) once both have run. */
async function describeBackends(): Promise<PageInfo> {
  const list = await backends.list();
  const reason = (name: string) => list.find((b) => b.name === name)?.reason ?? '?';
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    cores: navigator.hardwareConcurrency,
    wasm: reason('wasm'),
    onnx: reason('onnx'),
  };
}

/** Thread counts to force (undefined: graft's defaults). */
export interface Threads {
  onnx?: number;
  tfjs?: number;
}

async function setup(threads: Threads): Promise<PageInfo> {
  configureOnnx({ wasmPaths: '/ort/', ...(threads.onnx ? { numThreads: threads.onnx } : {}) });
  if (threads.tfjs) env.backends.wasm.threads = threads.tfjs;
  await backends.use('wasm');
  const base = await mobilenetV2({ alpha: 1, seed: 1 });
  seedBatchNorms(base.model);
  model = transfer(base).addHead(1000);
  const x = tf.zeros([1, 224, 224, 3]);
  await model.predictTensor(x, { backend: 'onnx' }).then((y) => y.dispose());
  x.dispose();
  return describeBackends();
}

type RawOrt = typeof import('onnxruntime-web');
type RawSession = import('onnxruntime-web').InferenceSession;
type RawOptions = import('onnxruntime-web').InferenceSession.SessionOptions;
let raw: { name: string; ort: RawOrt; options: (batch: number) => RawOptions }[] = [];
let rawBytes: Uint8Array | undefined;

/** Raw sessions of the exported model on each onnxruntime-web build and option set (diagnostic). */
async function setupRaw(threads: number): Promise<string[]> {
  rawBytes = (await (model as Bench).export('onnx')) as Uint8Array;
  const load = async (importer: () => Promise<RawOrt>) => {
    const ort = await importer();
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = threads;
    return ort;
  };
  const jsep = await load(() => import('onnxruntime-web'));
  const plain = await load(() => import('onnxruntime-web/wasm'));
  const base: RawOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  const spin = (on: boolean): RawOptions => ({
    ...base,
    extra: { session: { intra_op: { allow_spinning: on ? '1' : '0' } } },
  });
  raw =
    threads > 1
      ? [
          { name: 'raw wasm build, spinning', ort: plain, options: () => spin(true) },
          { name: 'raw wasm build, no spinning', ort: plain, options: () => spin(false) },
        ]
      : [
          { name: 'raw jsep build', ort: jsep, options: () => base },
          { name: 'raw wasm build', ort: plain, options: () => base },
          {
            name: 'raw wasm build, batch fixed',
            ort: plain,
            options: (n) => ({ ...base, freeDimensionOverrides: { N: n } }),
          },
          {
            name: 'raw wasm build, no arena/pattern',
            ort: plain,
            options: () => ({ ...base, enableCpuMemArena: false, enableMemPattern: false }),
          },
        ];
  return raw.map((r) => r.name);
}

/** One timed variant per raw session, created for this batch (a fixed batch needs its own session). */
async function rawVariants(x: tf.Tensor): Promise<[Record<string, () => Promise<void>>, RawSession[]]> {
  const feed = (await x.data()) as Float32Array;
  const sessions: RawSession[] = [];
  const variants: Record<string, () => Promise<void>> = {};
  for (const r of raw) {
    const session = await r.ort.InferenceSession.create(rawBytes as Uint8Array, r.options(x.shape[0]));
    sessions.push(session);
    variants[r.name] = async () => {
      const out = await session.run({ [session.inputNames[0]]: new r.ort.Tensor('float32', feed, x.shape) });
      for (const t of Object.values(out)) t.dispose();
    };
  }
  return [variants, sessions];
}

async function time(batch: number, reps: number): Promise<BatchTiming> {
  const m = model as Bench;
  const x = tf.randomUniform([batch, 224, 224, 3], 0, 255, 'float32', 5);
  const [extra, sessions] = await rawVariants(x);
  const ms = await timeRounds(reps, {
    ...extra,
    'tfjs-wasm predict': async () => void (await m.predict(x)),
    'onnx predict': async () => void (await m.predict(x, { backend: 'onnx' })),
    'tfjs-wasm predictTensor': async () => {
      const y = await m.predictTensor(x);
      await y.data();
      y.dispose();
    },
    'onnx predictTensor': async () => (await m.predictTensor(x, { backend: 'onnx' })).dispose(),
  });
  const a = await m.predictTensor(x);
  const b = await m.predictTensor(x, { backend: 'onnx' });
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const top = tf.max(a);
  const [maxAbsDiff, outputMax] = [(await diff.data())[0], (await top.data())[0]];
  tf.dispose([x, a, b, diff, top]);
  for (const sess of sessions) await sess.release();
  return { batch, ms, maxAbsDiff, outputMax };
}

(window as unknown as { onnxBench: unknown }).onnxBench = { setup, setupRaw, time };
(document.querySelector('#ready') as HTMLElement).textContent = 'ready';
