import { env, GraftError } from '@graftjs/core';
import { log } from '@graftjs/core/adapter';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { bounded, reasonOf } from './bounded';
import { snapshotProcessHandlers } from './node-hygiene';
import { autoNodeThreads, MAX_NODE_THREADS, nodeLogicalCores, startNodeThreaded } from './node-threads';
import { type WasmSettings, wasmSettings } from './settings';
import { shippedWasmFiles, WASM_FILES, type WasmFile } from './wasm-files';
import { watchWorkerErrors } from './worker-errors';

type Factory = () => Promise<tf.KernelBackend>;

const THREADS_FLAG = 'WASM_HAS_MULTITHREAD_SUPPORT';
const SIMD_FLAG = 'WASM_HAS_SIMD_SUPPORT';

/** What the last initialisation runs (binary, threads and why, where the files came from), or why it failed. */
export const wasmState: { info: string; failure: string | null } = { info: 'not initialised yet', failure: null };

async function flag(name: string): Promise<boolean> {
  try {
    return Boolean(await tf.env().getAsync(name));
  } catch {
    return false;
  }
}

/** Hands tfjs the binaries' locations; returns where they come from and the URL of each, for messages. */
function applyPaths(paths: WasmSettings['paths']): { where: string; urlOf: (file: WasmFile) => string } {
  const shipped = env.runtime.isNode ? undefined : shippedWasmFiles();
  if (paths === undefined && shipped === undefined) return { where: 'read from disk', urlOf: (file) => file };
  if (typeof paths === 'string') {
    setWasmPaths(paths);
    return { where: `served under ${paths}`, urlOf: (file) => paths + file };
  }
  const map: Partial<Record<WasmFile, string>> = { ...shipped, ...paths };
  const missing = WASM_FILES.filter((file) => !map[file]);
  if (missing.length > 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `env.backends.wasm.paths expects a URL for each of ${WASM_FILES.join(', ')} (or one URL prefix), got none for ${missing.join(', ')}`,
    );
  }
  setWasmPaths(map as Record<WasmFile, string>);
  const where = paths === undefined ? 'shipped with @graftjs/backend-wasm' : 'from env.backends.wasm.paths';
  return { where, urlOf: (file) => map[file] as string };
}

/** Whether to try threads, how many where graft starts them itself (Node), and if not, why not (backends.list()). */
async function threadPlan(s: WasmSettings): Promise<{ threads: boolean; why: string; node?: number }> {
  const no = (why: string) => ({ threads: false, why });
  if (s.threads === 1) return no('env.backends.wasm.threads is 1');
  if (env.runtime.isNode) return nodeThreadPlan(s);
  if (!env.runtime.crossOriginIsolated) return no('the page is not cross-origin isolated (threads need COOP/COEP)');
  if (!(await flag(THREADS_FLAG))) return no('this runtime cannot share wasm memory with workers');
  if (!(await flag(SIMD_FLAG))) return no('tfjs only ships threads with SIMD, which this runtime lacks');
  return { threads: true, why: '' };
}

/** Node: tfjs never starts threads there; graft does (node-threads.ts) when asked, or when 'auto' finds 4+ cores. */
async function nodeThreadPlan(s: WasmSettings): Promise<{ threads: boolean; why: string; node?: number }> {
  if (s.paths !== undefined)
    return { threads: false, why: 'env.backends.wasm.paths is set (Node threads read the installed files)' };
  if (!(await flag(SIMD_FLAG)))
    return { threads: false, why: 'tfjs only ships threads with SIMD, which this runtime lacks' };
  const cores = await nodeLogicalCores();
  const count = s.threads === 'auto' ? autoNodeThreads(cores) : Math.min(s.threads, MAX_NODE_THREADS);
  if (count <= 1) return { threads: false, why: `'auto' runs half the ${cores} cores, at least 1 and at most 4` };
  return { threads: true, why: '', node: count };
}

/** One bounded try of tfjs' own factory; emscripten's process handlers are removed however it ends. */
async function attempt(stock: Factory, ms: number, threaded: boolean): Promise<tf.KernelBackend> {
  const strip = snapshotProcessHandlers();
  const watch = threaded ? watchWorkerErrors() : undefined;
  const work = stock();
  work.then(strip, strip);
  try {
    return await bounded(work, ms, `loading the ${threaded ? 'threaded ' : ''}wasm module`, watch?.failed);
  } finally {
    strip();
    watch?.stop();
  }
}

/**
 * The tfjs "wasm" factory graft registers: settings applied, threads where they can run, one thread when the
 * threaded module cannot start, every attempt bounded by `env.backends.wasm.initTimeoutMs`.
 */
export async function initWasm(stock: Factory): Promise<tf.KernelBackend> {
  wasmState.failure = null;
  let file: WasmFile = 'tfjs-backend-wasm.wasm';
  let urlOf: (file: WasmFile) => string = (f) => f;
  try {
    const s = wasmSettings();
    const paths = applyPaths(s.paths);
    urlOf = paths.urlOf;
    const plan = await threadPlan(s);
    let why = plan.why;
    if (plan.threads) {
      file = 'tfjs-backend-wasm-threaded-simd.wasm';
      if (typeof s.threads === 'number') setThreadsCount(s.threads);
      const count = plan.node;
      try {
        const start = count === undefined ? stock : () => startNodeThreaded(count);
        const backend = await attempt(start, s.initTimeoutMs, true);
        wasmState.info = `${file}, ${getThreadsCount()} threads, ${paths.where}`;
        return backend;
      } catch (e) {
        why = `fell back from threads: ${reasonOf(e)}`;
        log.warn(`wasm ${why}`);
      }
    }
    tf.env().set(THREADS_FLAG, false);
    file = (await flag(SIMD_FLAG)) ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
    const backend = await attempt(stock, s.initTimeoutMs, false);
    wasmState.info = `${file}, 1 thread (${why}), ${paths.where}`;
    return backend;
  } catch (e) {
    wasmState.failure = `${reasonOf(e)} (binary: ${urlOf(file)})`;
    throw e;
  }
}
