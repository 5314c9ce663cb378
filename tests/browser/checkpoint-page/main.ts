// Test page: exposes window.graftTest for tests/browser/checkpoint.test.ts (driven through Playwright).
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  backends,
  configureWasm,
  createRng,
  deleteCheckpoint,
  isGraftError,
  readCheckpoint,
  sequential,
} from 'graftjs';

configureWasm({
  'tfjs-backend-wasm.wasm': tfjsWasm,
  'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreaded,
});

/** 60 seeded points in 3 blobs, 4 features. */
function blobs(n = 60): { x: number[][]; y: number[] } {
  const rng = createRng(11);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([0, 1, 2, 3].map((j) => (j === c ? 2 : 0) + rng.next() - 0.5));
    y.push(c);
  }
  return { x, y };
}

function model(width: number) {
  return sequential({ inputShape: [4], seed: 3 })
    .dense(width, { activation: 'relu' })
    .dense(width, { activation: 'relu' })
    .dense(3, { activation: 'softmax' });
}

interface RunOptions {
  backend: string;
  epochs: number;
  checkpoint?: string;
  resume?: string;
  width?: number;
}

async function run(o: RunOptions): Promise<{ weights: number[]; loss: number[] }> {
  await backends.use(o.backend);
  const m = model(o.width ?? 16);
  const { x, y } = blobs();
  await m.fit(x, y, {
    epochs: o.epochs,
    batchSize: 8,
    seed: 5,
    learningRate: 0.01,
    ...(o.checkpoint ? { checkpoint: { to: o.checkpoint } } : {}),
    ...(o.resume ? { resume: o.resume } : {}),
  });
  const weights: number[] = [];
  for (const w of m.net.weights) weights.push(...(await w.read().data()));
  const loss = [...(m.history.loss ?? [])];
  await m.dispose();
  return { weights, loss };
}

/** Trains a wide model for ever, checkpointing every epoch; `written` counts the checkpoints that committed. */
const progress = { written: 0 };
async function trainForever(name: string, backend: string): Promise<void> {
  await backends.use(backend);
  const m = model(512);
  const { x, y } = blobs();
  void m.fit(x, y, {
    epochs: 100_000,
    batchSize: 60,
    seed: 5,
    checkpoint: { to: name },
    onEpochEnd: () => {
      // fit awaits each epoch's callbacks, checkpoint included, before the next epoch: when this reads k, the
      // checkpoint of epoch k - 1 at least has committed
      progress.written++;
    },
  });
}

async function inspect(name: string): Promise<{ epoch: number; tensors: number; values: number; finite: boolean }> {
  const ck = await readCheckpoint(name);
  let values = 0;
  let finite = true;
  for (const t of ck.weights) {
    const d = await t.data();
    values += d.length;
    finite &&= d.every(Number.isFinite);
  }
  const out = { epoch: ck.epoch, tensors: ck.weights.length, values, finite };
  for (const t of [...ck.weights, ...ck.optimizer.map((o) => o.tensor)]) t.dispose();
  return out;
}

/** The GraftError code a bad checkpoint call gets, or 'ok'. */
async function codeOf(o: RunOptions): Promise<string> {
  try {
    await run(o);
    return 'ok';
  } catch (e) {
    return isGraftError(e) ? e.code : `not a GraftError: ${String(e)}`;
  }
}

Object.assign(window, { graftTest: { run, trainForever, progress, inspect, codeOf, remove: deleteCheckpoint } });
document.querySelector('#ready')!.textContent = 'ready';
