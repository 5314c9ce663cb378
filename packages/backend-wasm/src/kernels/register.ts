import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { adamUpdateConfig } from './adam';
import { batchMatMulConfig } from './batch-mat-mul';
import { fusedBatchNormConfig } from './batch-norm';
import { batchNormSumsConfig } from './batch-norm-grad';
import { castConfig } from './cast';
import { clipByValueGradConfig } from './clip-grad';
import { conv2DConfig } from './conv2d';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-backprop-input';
import { installFusedAdam } from './fused-adam';
import { registerGraftGradients } from './gradients';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { meanConfig } from './mean';
import { sliceConfig } from './slice';
import { sumConfig } from './sum';
import { tileConfig } from './tile';
import { rememberStockKernel } from './wasm-access';

/** Kernels tfjs-backend-wasm 4.22 lacks; registered only while still missing, so a future tfjs that adds them wins. */
export const ADDED_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  // graft's own kernels, behind the ClipByValue and FusedBatchNorm gradients of gradients.ts
  clipByValueGradConfig,
  batchNormSumsConfig,
  // one Adam step per weight (fused-adam.ts routes tfjs' AdamOptimizer here while graft's kernels are on)
  adamUpdateConfig,
];

/** Stock kernels graft replaces with faster ones (measured in bench/wasm-kernels.ts). */
export const REPLACED_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  batchMatMulConfig,
  sumConfig,
  meanConfig,
  tileConfig,
  identityConfig,
  castConfig,
  conv2DConfig,
  fusedBatchNormConfig,
  sliceConfig,
];

/** Marks configs graft registered, so a second copy of this module (e.g. ESM and CJS builds both loaded)
 * never mistakes a graft kernel for the stock one and wraps it again. */
const GRAFT = Symbol.for('graft.backend-wasm.kernel');
const tagged = (config: KernelConfig): KernelConfig => Object.assign({ ...config }, { [GRAFT]: true });
const isGraft = (config: KernelConfig | undefined): boolean =>
  config != null && (config as unknown as Record<symbol, unknown>)[GRAFT] === true;

const added: string[] = [];
const stock = new Map<string, KernelConfig>();
let replacing = false;

for (const config of ADDED_KERNELS) {
  if (getKernel(config.kernelName, 'wasm') == null) {
    registerKernel(tagged(config));
    added.push(config.kernelName);
  }
}
for (const config of REPLACED_KERNELS) {
  const original = getKernel(config.kernelName, 'wasm');
  if (original != null && !isGraft(original)) {
    stock.set(config.kernelName, original);
    rememberStockKernel(original);
  }
}
useGraftWasmKernels(true);
registerGraftGradients();
installFusedAdam(() => replacing);

/**
 * Switches between graft's replacements and the stock wasm kernels (benchmarks and tests compare both).
 * The stock setupFunc is kept on the replacement so the stock kernel, which the replacement calls, is
 * initialised with the backend.
 */
export function useGraftWasmKernels(enabled: boolean): void {
  if (enabled === replacing) return;
  for (const config of REPLACED_KERNELS) {
    const original = stock.get(config.kernelName);
    // Replacements build on the stock kernel; without one there is nothing to replace.
    if (original == null) continue;
    unregisterKernel(config.kernelName, 'wasm');
    if (enabled) {
      registerKernel(tagged({ ...config, setupFunc: original.setupFunc, disposeFunc: original.disposeFunc }));
    } else {
      registerKernel(original);
    }
  }
  replacing = enabled;
}

/** Which kernels graft added to and replaced in the wasm backend. */
export function graftWasmKernels(): { added: string[]; replaced: string[] } {
  return { added: [...added], replaced: replacing ? [...stock.keys()] : [] };
}
