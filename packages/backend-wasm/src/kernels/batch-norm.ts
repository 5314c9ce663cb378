import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FusedBatchNorm, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { heapOffset } from './simd';
import { elementwiseSimdFor } from './simd-elementwise';
import { alloc, f32, release, runStock } from './wasm-access';

/**
 * out[r, c] = (x[r, c] - m[c]) * a[c] + o[c] over the channels-last rows of x (one SIMD pass where the channel
 * count is a multiple of 4, a JavaScript loop elsewhere). The caller owns the result.
 */
export function affineChannels(
  backend: BackendWasm,
  x: TensorInfo,
  m: Float32Array,
  a: Float32Array,
  o: Float32Array,
): TensorInfo {
  const C = a.length;
  const out = alloc(backend, x.shape);
  const rows = util.sizeFromShape(x.shape) / C;
  const simd = C % 4 === 0 ? elementwiseSimdFor(backend) : null;
  if (simd != null) {
    const mao = alloc(backend, [3 * C]);
    const params = f32(backend, mao);
    params.set(m);
    params.set(a, C);
    params.set(o, 2 * C);
    const at = (t: TensorInfo) => heapOffset(backend, t.dataId);
    simd.affineChannels(at(x), at(mao), at(out), rows, C / 4);
    release(backend, mao);
    return out;
  }
  const xd = f32(backend, x);
  const od = f32(backend, out);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < C; c++, i++) od[i] = (xd[i] - m[c]) * a[c] + o[c];
  }
  return out;
}

/** A [C] parameter's values, or `fill` when absent; null when it is not a float32 vector of C values. */
function channelValues(backend: BackendWasm, t: TensorInfo | undefined, C: number, fill: number): Float32Array | null {
  if (t == null) return new Float32Array(C).fill(fill);
  if (t.dtype !== 'float32' || util.sizeFromShape(t.shape) !== C) return null;
  return f32(backend, t).slice();
}

/**
 * BatchNorm with per-channel (last axis) statistics as (x - mean) * a + offset per element, a = scale /
 * sqrt(var + eps) folded per channel first. The stock kernel broadcasts each of the four
 * parameters per element, and took half of a MobileNetV2 inference step. Other shapes go to the stock kernel.
 */
function fusedBatchNorm(args: {
  inputs: { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };
  attrs: { varianceEpsilon: number };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const C = x.shape.at(-1) ?? 0;
  const params =
    x.dtype === 'float32' && C > 0 && util.sizeFromShape(x.shape) > 0
      ? [
          channelValues(backend, inputs.mean, C, 0),
          channelValues(backend, inputs.variance, C, 1),
          channelValues(backend, inputs.offset, C, 0),
          channelValues(backend, inputs.scale, C, 1),
        ]
      : [null];
  if (params.some((p) => p == null)) return runStock(FusedBatchNorm, inputs as never, attrs as never, backend);
  const [mean, variance, offset, scale] = params as Float32Array[];
  const a = new Float32Array(C);
  for (let c = 0; c < C; c++) a[c] = scale[c] / Math.sqrt(variance[c] + attrs.varianceEpsilon);
  return affineChannels(backend, x, mean, a, offset);
}

export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm as unknown as KernelFunc,
};
