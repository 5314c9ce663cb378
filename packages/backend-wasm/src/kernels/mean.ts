import { type KernelConfig, Mean } from '@tensorflow/tfjs-core';
import { leadingAxesReduction } from './sum';

/** Mean over leading axes (BatchNorm's batch statistics) as column sums; see `leadingAxesReduction`. */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: leadingAxesReduction(Mean),
};
