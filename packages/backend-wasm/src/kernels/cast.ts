import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Cast, type DataType, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { runStock } from './wasm-access';

/**
 * Cast to the dtype a tensor already has shares its data (tensors are immutable; only the reference count
 * goes up), where the stock kernel copies it. A ReLU gradient casts its float32 step mask to float32 once
 * per layer, an activation-sized copy per step. Real conversions go to the stock kernel.
 */
function cast(args: { inputs: { x: TensorInfo }; attrs: { dtype: DataType }; backend: BackendWasm }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  if (attrs.dtype !== x.dtype || x.dtype === 'string') return runStock(Cast, inputs, attrs, backend);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
