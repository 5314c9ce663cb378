// Page for streamed image sources in Chromium: window.graftStream, driven through Playwright by
// tests/browser/stream-sources.test.ts and bench/data-scale-browser.ts.
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import {
  backends,
  configureWasm,
  Dataset,
  fromImages,
  isGraftError,
  mobilenetV1,
  type TransferModel,
  transfer,
} from 'graftjs';

configureWasm({
  'tfjs-backend-wasm.wasm': tfjsWasm,
  'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreaded,
});

export interface FitRequest {
  urls: string[];
  labels: string[];
  classNames: string[];
  /** Folder URL of the MobileNet v1 0.25 layers model. */
  modelUrl: string;
  backend: string;
  /** Fraction held out for accuracy (seeded split); none when absent. */
  holdOut?: number;
  /** Decode workers (undefined: graft's default; 0: the main thread). */
  workers?: number;
  /** Also fit the same photos read into memory (fetched bytes, `fromImages` without stream) to compare heads. */
  inMemory?: boolean;
  /** Read the photos into one in-memory Dataset instead of streaming them (the bench's contrast). */
  memory?: boolean;
}

export interface FitReport {
  fitMs: number;
  featuresMs: number;
  imagesPerSecond: number;
  accuracy: number | null;
  weights: number[];
  inMemoryWeights: number[] | null;
  tensorsLeft: number;
  wasmHeapBytes: number | null;
}

async function headWeights(m: TransferModel): Promise<number[]> {
  const out: number[] = [];
  for (const w of m.net.trainableWeights) out.push(...(await w.read().data()));
  return out;
}

/** The photos as one in-memory Dataset: bytes fetched, decoded by graft's JavaScript decoders. */
async function readIntoMemory(r: FitRequest) {
  const bytes = await Promise.all(r.urls.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
  return fromImages(bytes, r.labels, { classNames: r.classNames });
}

async function inMemoryWeights(r: FitRequest, base: Awaited<ReturnType<typeof mobilenetV1>>): Promise<number[]> {
  const data = await readIntoMemory(r);
  const m = await transfer(base).freeze().addHead(r.classNames.length).fit(data, { seed: 1 });
  const w = await headWeights(m);
  data.dispose();
  await m.dispose();
  return w;
}

/** A URL stream of the photos, a frozen MobileNet v1 0.25 and the default head: the fit, timed. */
async function fitUrls(r: FitRequest): Promise<FitReport> {
  await backends.use(r.backend);
  const before = tf.memory().numTensors;
  const base = await mobilenetV1({ alpha: 0.25, weights: 'imagenet', from: r.modelUrl, cache: false });
  const t0 = performance.now();
  const stream = r.memory
    ? await readIntoMemory(r)
    : await fromImages(r.urls, r.labels, { stream: true, classNames: r.classNames, workers: r.workers });
  const [train, test] = r.holdOut ? await stream.split(r.holdOut, { seed: 1 }) : [stream, null];
  if (r.memory && test) (stream as Dataset).dispose();
  let featuresEnd = t0;
  const m = await transfer(base)
    .freeze()
    .addHead(r.classNames.length)
    .fit(train, {
      seed: 1,
      onProgress: (e) => {
        if (e.phase === 'features') featuresEnd = performance.now();
      },
    });
  const fitMs = performance.now() - t0;
  const accuracy = test ? ((await m.evaluate(test)).accuracy as number) : null;
  const weights = await headWeights(m);
  await m.dispose();
  for (const d of [train, test]) if (d instanceof Dataset) d.dispose();
  const inMemory = r.inMemory ? await inMemoryWeights(r, base) : null;
  base.model.dispose();
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return {
    fitMs,
    featuresMs: featuresEnd - t0,
    imagesPerSecond: train.size / ((featuresEnd - t0) / 1000),
    accuracy,
    weights,
    inMemoryWeights: inMemory,
    tensorsLeft: tf.memory().numTensors - before,
    wasmHeapBytes: wasm?.HEAPU8?.byteLength ?? null,
  };
}

/** The GraftError code and message a streamed fit of these URLs gets, or 'ok'. */
async function fitError(r: FitRequest): Promise<{ code: string; message: string }> {
  try {
    await fitUrls(r);
    return { code: 'ok', message: '' };
  } catch (e) {
    return isGraftError(e) ? { code: e.code, message: e.message } : { code: 'not a GraftError', message: String(e) };
  }
}

const RealWorker = window.Worker;

/**
 * Makes Web Workers unusable, as a content security policy or a crashing worker would: 'throw' (the constructor
 * throws), 'broken' (each worker's script throws as it starts, so the worker reports an error), null (restore).
 */
function sabotageWorkers(kind: 'throw' | 'broken' | null): void {
  const broken = URL.createObjectURL(new Blob(['throw new Error("worker script failed")']));
  window.Worker =
    kind === 'throw'
      ? (function refused() {
          throw new DOMException('refused by policy', 'SecurityError');
        } as unknown as typeof Worker)
      : kind === 'broken'
        ? (class extends RealWorker {
            constructor() {
              super(broken);
            }
          } as typeof Worker)
        : RealWorker;
}

Object.assign(window, { graftStream: { fitUrls, fitError, sabotageWorkers } });
document.querySelector('#ready')!.textContent = 'ready';
