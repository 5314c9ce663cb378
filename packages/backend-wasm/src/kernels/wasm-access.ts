import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type DataType, getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Low-level access to the wasm backend shared by graft's kernels: heap views, allocation, and calls into
 * the stock wasm kernels on TensorInfos (no Tensor objects, so nothing is tracked by the engine and each
 * intermediate is released with `release`).
 */

/** Stock wasm kernels saved before register.ts replaced any of them, so wrappers can still reach them. */
const stockKernels = new Map<string, KernelConfig>();

export function rememberStockKernel(config: KernelConfig): void {
  stockKernels.set(config.kernelName, config);
}

export function stockKernel(kernelName: string): KernelConfig {
  const saved = stockKernels.get(kernelName) ?? getKernel(kernelName, 'wasm');
  if (saved == null) throw new Error(`graft wasm kernels: tfjs-backend-wasm has no '${kernelName}' kernel to build on`);
  return saved;
}

/** Runs a stock wasm kernel directly; the caller owns (and must release) the returned TensorInfo. */
export function runStock(
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
  backend: BackendWasm,
): TensorInfo {
  const out = stockKernel(kernelName).kernelFunc({ inputs, attrs, backend });
  return Array.isArray(out) ? out[0] : out;
}

/**
 * `config` whose kernel first brings every input onto the wasm heap. tfjs moves an input that still lives on another
 * backend (a tensor made before `use('wasm')`) at its first `dataIdMap` lookup, and that move can grow the heap:
 * `typedArrayFromHeap` reads the heap's buffer before its lookup, so the view it builds, and any view a kernel took
 * earlier, would be on a detached buffer. With the inputs moved up front, allocation is the only thing that grows it.
 */
export function withInputsOnHeap(config: KernelConfig): KernelConfig {
  const run = config.kernelFunc;
  const kernelFunc: KernelConfig['kernelFunc'] = (args) => {
    const backend = args.backend as unknown as { dataIdMap: { get(id: object): unknown } };
    for (const t of Object.values(args.inputs)) if (t != null) backend.dataIdMap.get(t.dataId);
    return run(args);
  };
  return { ...config, kernelFunc };
}

/** A Float32 view of a tensor's data on the wasm heap. Take views only after the last allocation: growing the heap detaches them. */
export function f32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** A new (uninitialised) tensor on the wasm heap. */
export function alloc(backend: BackendWasm, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

export function release(backend: BackendWasm, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

/** A reshaped alias of `t` that shares its memory (the stock Reshape kernel only bumps a reference count). */
export function reshapeInfo(backend: BackendWasm, t: TensorInfo, shape: number[]): TensorInfo {
  return runStock('Reshape', { x: t }, { shape }, backend);
}

/** [rows, cols] -> [cols, rows] with the stock (C++) Transpose. */
export function transpose2d(backend: BackendWasm, t: TensorInfo, rows: number, cols: number): TensorInfo {
  const t2 = reshapeInfo(backend, t, [rows, cols]);
  const out = runStock('Transpose', { x: t2 }, { perm: [1, 0] }, backend);
  release(backend, t2);
  return out;
}

/** a [m, k] @ b [k, n] -> [m, n] with the stock XNNPACK matmul in its fast, non-transposed form. */
export function matmul2d(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  m: number,
  k: number,
  n: number,
): TensorInfo {
  const a3 = reshapeInfo(backend, a, [1, m, k]);
  const b3 = reshapeInfo(backend, b, [1, k, n]);
  const out3 = runStock('BatchMatMul', { a: a3, b: b3 }, { transposeA: false, transposeB: false }, backend);
  const out = reshapeInfo(backend, out3, [m, n]);
  release(backend, a3, b3, out3);
  return out;
}
