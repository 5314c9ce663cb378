import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';

// Specifiers in variables: browser bundlers must not follow Node's modules from this file.
const NODE_MODULE = 'node:module';
const NODE_FS = 'node:fs';
const NODE_OS = 'node:os';
const NODE_PATH = 'node:path';
const NODE_CRYPTO = 'node:crypto';

const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';
const GLUE = `${TFJS_WASM}/wasm-out/tfjs-backend-wasm-threaded-simd.js`;
const WORKER_SOURCE = `${TFJS_WASM}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`;
const BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

/** tfjs-backend-wasm's glue starts 8 pthread workers and its C++ caps the XNNPACK pool at 8 threads. */
export const MAX_NODE_THREADS = 8;

/** What `threads: 'auto'` gives in Node: half the logical cores (as tfjs does in browsers), 1 to 4. */
export function autoNodeThreads(logicalCores: number): number {
  return Math.min(4, Math.max(1, Math.floor(logicalCores / 2)));
}

/** Logical cores Node reports (availableParallelism where it exists). */
export async function nodeLogicalCores(): Promise<number> {
  const os = (await import(/* @vite-ignore */ NODE_OS)) as typeof import('node:os');
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

interface EmscriptenPThreads {
  runningWorkers: { unref(): void }[];
  terminateAllThreads(): void;
}

interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: EmscriptenPThreads;
  tfjs?: Record<string, unknown>;
}

type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

/** Where this module is, for require.resolve: ESM has import.meta.url, the CJS build has __filename. */
function here(): string {
  if (typeof import.meta.url === 'string' && import.meta.url) return import.meta.url;
  return typeof __filename === 'string' ? __filename : `${process.cwd()}/`;
}

/** The installed package's threaded glue, binary and pthread worker script (Node). */
async function installedFiles() {
  const { createRequire } = (await import(/* @vite-ignore */ NODE_MODULE)) as typeof import('node:module');
  const path = (await import(/* @vite-ignore */ NODE_PATH)) as typeof import('node:path');
  const os = (await import(/* @vite-ignore */ NODE_OS)) as typeof import('node:os');
  const crypto = (await import(/* @vite-ignore */ NODE_CRYPTO)) as typeof import('node:crypto');
  const require = createRequire(here());
  const glue = require.resolve(GLUE);
  const binary = path.join(path.dirname(require.resolve(TFJS_WASM)), BINARY);
  // tfjs ships the worker script as a string (browsers start it from a Blob) holding "\n" escapes that tfjs
  // re-escapes first; Node starts workers from files, so it is written once under a name made from its content
  const source = (require(WORKER_SOURCE) as { wasmWorkerContents: string }).wasmWorkerContents.replace(/\n/g, '\\n');
  const digest = crypto.createHash('sha256').update(source).digest('hex').slice(0, 16);
  const worker = path.join(os.tmpdir(), `graft-tfjs-wasm-${digest}.worker.cjs`);
  return { require, glue, binary, source, worker };
}

/** Where the pthread worker script goes: the temp folder, named by its content. */
export async function workerScriptPath(): Promise<string> {
  return (await installedFiles()).worker;
}

async function writeWorker(file: string, source: string): Promise<void> {
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs');
  const present = fs.existsSync(file) ? fs.statSync(file) : undefined;
  if (present?.isFile() && present.size === Buffer.byteLength(source)) return;
  // written under a unique name, then renamed: two processes starting at once never run half a file
  const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(partial, source);
  try {
    fs.renameSync(partial, file);
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

/** The tfjs bindings tfjs' own init() adds to the module (the names BackendWasm calls). */
function bindTfjs(module: ThreadedModule): void {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Starts tfjs-backend-wasm's threaded SIMD module in Node with `threads` XNNPACK threads, which tfjs itself
 * never does in Node: its pthread workers would start from Blob URLs, which Node cannot run. Here the worker
 * script is a file, the glue is read from the installed package, and the thread cap tfjs derives from the
 * core count (cores / 2) is given the count asked for. Workers never keep the process alive.
 */
export async function startNodeThreaded(threads: number): Promise<tf.KernelBackend> {
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs');
  const { require, glue, binary, source, worker } = await installedFiles();
  await writeWorker(worker, source);
  const factory = require(glue) as Factory;
  let failInstantiate: (e: unknown) => void = () => undefined;
  const instantiateFailed = new Promise<never>((_, reject) => {
    failInstantiate = reject;
  });
  const started = factory({
    locateFile: (file: string) => (file.endsWith('.worker.js') ? worker : file.endsWith('.wasm') ? binary : file),
    // each worker evaluates the glue from this path before it receives the compiled module
    mainScriptUrlOrBlob: glue,
    instantiateWasm(
      imports: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      // tfjs' C++ runs min(asked, logical cores / 2) threads; report twice the count so the ask stands
      imports.env.emscripten_num_logical_cores = () => threads * 2;
      WebAssembly.instantiate(fs.readFileSync(binary), imports as WebAssembly.Imports).then(
        ({ instance, module: compiled }) => receive(instance, compiled),
        failInstantiate,
      );
      return {};
    },
  });
  const module = await Promise.race([started, instantiateFailed]);
  bindTfjs(module);
  setThreadsCount(threads);
  const backend = new BackendWasm(module as never);
  // pthreadpool's threads wait for work forever; an app that is done must still exit
  for (const running of module.PThread.runningWorkers) running.unref();
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    dispose();
    module.PThread.terminateAllThreads();
  };
  return backend;
}
