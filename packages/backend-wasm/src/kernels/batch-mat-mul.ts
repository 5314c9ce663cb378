import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BatchMatMul, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { release, runStock } from './wasm-access';

/** Swaps the last two axes with the stock (C++) Transpose. */
function transposeLast2(backend: BackendWasm, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const perm = t.shape.map((_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return runStock('Transpose', { x: t }, { perm }, backend);
}

/**
 * Replaces the stock wasm BatchMatMul only when an operand is transposed: the stock kernel then leaves
 * XNNPACK for a slow generic loop, while an explicit transpose plus the non-transposed product is
 * ~2.5x faster for dense-layer gradients (which are all transposed products).
 */
function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { transposeA, transposeB } = attrs;
  if ((!transposeA && !transposeB) || inputs.a.dtype !== 'float32' || inputs.b.dtype !== 'float32') {
    return runStock(BatchMatMul, inputs, attrs, backend);
  }
  const a = transposeA ? transposeLast2(backend, inputs.a) : inputs.a;
  const b = transposeB ? transposeLast2(backend, inputs.b) : inputs.b;
  const out = runStock(BatchMatMul, { a, b }, { transposeA: false, transposeB: false }, backend);
  if (transposeA) release(backend, a);
  if (transposeB) release(backend, b);
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
