import { describe, env, GraftError } from '@graftjs/core';
import { describeAdapter } from './adapter-info';
import type { GpuLike, NodeWebGPUModule } from './gpu-types';

export interface EnableNodeWebGPUOptions {
  /** Dawn toggles passed to the `webgpu` package's `create()`, e.g. `['backend=vulkan']`. */
  flags?: string[];
  /**
   * Where Dawn comes from; defaults to importing the `webgpu` npm package. Lets an app supply
   * another Dawn build (and tests a stand-in).
   */
  provider?: () => Promise<NodeWebGPUModule>;
}

export type NodeWebGPUStatus = { available: true; adapter: string } | { available: false; reason: string };

/** Shown by `backends.list()` until enableNodeWebGPU() succeeds. */
export const NODE_NEEDS_ENABLE = 'Node needs enableNodeWebGPU() and a Vulkan driver';

let status: NodeWebGPUStatus | null = null;

/** The outcome of the last enableNodeWebGPU() call; null before the first. */
export function nodeWebGPUStatus(): NodeWebGPUStatus | null {
  return status;
}

// A variable specifier keeps bundlers from pulling the Node-only package into browser builds.
const WEBGPU_PACKAGE = 'webgpu';
const importWebGPU = (): Promise<NodeWebGPUModule> => import(/* @vite-ignore */ WEBGPU_PACKAGE);

function checkOptions(options: unknown): EnableNodeWebGPUOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new GraftError(
      'INVALID_OPTION',
      `enableNodeWebGPU expects an options object or nothing, got ${describe(options)}`,
    );
  }
  const { flags, provider } = options as Record<string, unknown>;
  if (flags !== undefined && (!Array.isArray(flags) || flags.some((f) => typeof f !== 'string'))) {
    throw new GraftError(
      'INVALID_OPTION',
      `enableNodeWebGPU expects flags to be an array of strings like ['backend=vulkan'], got ${describe(flags)}`,
    );
  }
  if (provider !== undefined && typeof provider !== 'function') {
    throw new GraftError(
      'INVALID_OPTION',
      `enableNodeWebGPU expects provider to be a function, got ${describe(provider)}`,
    );
  }
  return options as EnableNodeWebGPUOptions;
}

// Mesa's drivers (lavapipe) write a shader cache under the home folder unless told otherwise.
async function keepShaderCacheOutOfHome(): Promise<void> {
  if (process.env.MESA_SHADER_CACHE_DIR) return;
  const osName = 'node:os';
  const pathName = 'node:path';
  const os: typeof import('node:os') = await import(/* @vite-ignore */ osName);
  const path: typeof import('node:path') = await import(/* @vite-ignore */ pathName);
  process.env.MESA_SHADER_CACHE_DIR = path.join(os.tmpdir(), 'graft-mesa-shader-cache');
}

type NavigatorHolder = { navigator?: { gpu?: GpuLike } };

/** Puts Dawn where tfjs looks for a browser's WebGPU; returns how to undo it. */
function installGlobals(gpu: GpuLike, globals: Record<string, unknown> | undefined): () => void {
  const g = globalThis as unknown as NavigatorHolder & Record<string, unknown>;
  const added: string[] = [];
  for (const [name, value] of Object.entries(globals ?? {})) {
    if (!(name in g)) {
      g[name] = value;
      added.push(name);
    }
  }
  const hadNavigator = g.navigator !== undefined;
  if (!hadNavigator) g.navigator = {};
  const nav = g.navigator as { gpu?: GpuLike };
  const previousGpu = Object.getOwnPropertyDescriptor(nav, 'gpu');
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, enumerable: true, writable: true });
  return () => {
    for (const name of added) delete g[name];
    if (previousGpu) Object.defineProperty(nav, 'gpu', previousGpu);
    else delete nav.gpu;
    if (!hadNavigator) delete g.navigator;
  };
}

/**
 * Lets the `webgpu` backend run in Node through Dawn (the `webgpu` npm package, an optional install)
 * on whatever Vulkan driver the machine has (a GPU's, or lavapipe/SwiftShader: see .ci/vulkan.sh).
 * Never throws for a missing package, driver or adapter: resolves to the reason, which
 * `backends.use('webgpu')` then reports as BACKEND_UNAVAILABLE.
 */
export async function enableNodeWebGPU(options?: EnableNodeWebGPUOptions): Promise<NodeWebGPUStatus> {
  const { flags = [], provider = importWebGPU } = checkOptions(options);
  if (!env.runtime.isNode) {
    return { available: false, reason: 'enableNodeWebGPU() is for Node; browsers provide navigator.gpu themselves' };
  }
  if (status?.available) return status;
  status = await connect(flags, provider);
  return status;
}

async function connect(flags: string[], provider: () => Promise<NodeWebGPUModule>): Promise<NodeWebGPUStatus> {
  let mod: NodeWebGPUModule;
  try {
    mod = await provider();
  } catch (e) {
    return {
      available: false,
      reason: `cannot load the "webgpu" package (npm install webgpu): ${(e as Error).message}`,
    };
  }
  if (typeof mod?.create !== 'function') {
    return { available: false, reason: 'the "webgpu" package has no create() function (expected webgpu >= 0.2)' };
  }
  await keepShaderCacheOutOfHome();
  let gpu: GpuLike;
  try {
    gpu = mod.create(flags);
  } catch (e) {
    return {
      available: false,
      reason: `Dawn could not start with flags [${flags.join(', ')}]: ${(e as Error).message}`,
    };
  }
  const uninstall = installGlobals(gpu, mod.globals);
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter) return { available: true, adapter: describeAdapter(adapter) };
    uninstall();
    return {
      available: false,
      reason:
        'Dawn found no WebGPU adapter: no usable Vulkan driver (point VK_ICD_FILENAMES at one: lavapipe from Mesa >= 23 or SwiftShader; see .ci/vulkan.sh)',
    };
  } catch (e) {
    uninstall();
    return { available: false, reason: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
  }
}
