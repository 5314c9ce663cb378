import { type BackendEntry, env } from '@graftjs/core';
import { exportOnnx } from '../export/export-onnx';
import { encodeModel } from '../onnx/encode';
import { IR_VERSION, OPSET_VERSION } from '../onnx/schema';
import { loadedOrt } from './load-ort';
import { onnxRuntime } from './onnx-runtime';
import { executionProviders, nativeSessionOptions } from './onnx-settings';
import { createSession } from './ort-env';
import { threadContextHere, webThreadsWhy } from './web-threads';

/** Which ONNX Runtime runs sessions and why, e.g. "onnxruntime-node 1.30.0 (cpu, 16 threads): onnxruntime-node found". */
function describeRuntime(): string {
  const chosen = loadedOrt();
  if (!chosen)
    return 'ONNX Runtime (loaded on first use: onnxruntime-node in Node when installed, else onnxruntime-web)';
  const where =
    chosen.kind === 'native'
      ? `cpu, ${nativeSessionOptions(chosen.cores ?? 1).intraOpNumThreads} threads`
      : `${executionProviders().join(', ')}, ${chosen.ort.env.wasm?.numThreads ?? '?'} threads: ${webThreadsWhy(env.backends.onnx.numThreads, threadContextHere(env.runtime.isNode, env.runtime.crossOriginIsolated))}`;
  return `onnxruntime-${chosen.kind === 'native' ? 'node' : 'web'} ${chosen.version} (${where}): ${chosen.reason}`;
}

let ready: Promise<void> | null = null;

/** Loads onnxruntime (native, or the WebAssembly) once, with a one-node model, so init failures surface here. */
function warmUp(): Promise<void> {
  ready ??= (async () => {
    const probe = encodeModel({
      graphName: 'probe',
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', dims: [1] }],
      outputs: [{ name: 'y', dims: [1] }],
      opsets: [{ domain: '', version: OPSET_VERSION }],
      irVersion: IR_VERSION,
    });
    const { session } = await createSession(probe, 'the start-up probe');
    await session.release();
  })().catch((e) => {
    ready = null;
    throw e;
  });
  return ready;
}

/**
 * "onnx" in core's registry, one entry for the whole adapter: inference only (auto never picks it for
 * training), no tfjs backend of its own; predictions go through its runtime; it exports the "onnx" format,
 * which `model.save('model.onnx')` writes.
 */
export const onnxBackendEntry: BackendEntry = {
  priority: 0,
  capabilities: { train: false, inference: true, float32: true, hostMemory: 'device' },
  isAvailable: () => (typeof WebAssembly === 'object' ? true : 'WebAssembly is not available here'),
  init: warmUp,
  tfjsBackend: null,
  runtime: onnxRuntime,
  exports: { onnx: { extensions: ['.onnx'], run: exportOnnx } },
  describe: describeRuntime,
};
