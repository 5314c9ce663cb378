import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { assertFloat32 } from './conv-info';
import { heapOffset } from './simd';
import { elementwiseSimdFor } from './simd-elementwise';
import { alloc, f32 } from './wasm-access';

/** graft's kernel for the two reductions of FusedBatchNorm's gradient (gradients.ts routes the gradient here). */
export const GRAFT_BATCH_NORM_SUMS = 'GraftBatchNormSums';

/** Rows per SIMD call: float32 partial sums over at most this many rows, added up in float64 (as the cpu backend sums). */
const CHUNK = 64;

/**
 * [2, C]: row 0 is sum over all but the last axis of dy, row 1 of dy * (x - mean), with mean one value per channel
 * (last axis). One pass over x and dy, where tfjs' gradient makes six full-size intermediates for the same sums.
 */
function batchNormSums(args: {
  inputs: { x: TensorInfo; dy: TensorInfo; mean: TensorInfo };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const { x, dy, mean } = inputs;
  for (const [name, t] of Object.entries(inputs)) assertFloat32(GRAFT_BATCH_NORM_SUMS, name, t.dtype);
  const C = x.shape.at(-1) ?? 0;
  const rows = C === 0 ? 0 : util.sizeFromShape(x.shape) / C;
  const total = new Float64Array(2 * C);
  const simd = C % 4 === 0 ? elementwiseSimdFor(backend) : null;
  const partial = simd == null ? null : alloc(backend, [2 * C]);
  const out = alloc(backend, [2, C]);
  const md = f32(backend, mean);
  if (simd != null && partial != null) {
    const at = (t: TensorInfo) => heapOffset(backend, t.dataId);
    const part = f32(backend, partial);
    for (let r0 = 0; r0 < rows; r0 += CHUNK) {
      const n = Math.min(CHUNK, rows - r0);
      part.fill(0);
      simd.bnSums(at(x) + r0 * C * 4, at(dy) + r0 * C * 4, at(mean), at(partial), n, C / 4);
      for (let i = 0; i < 2 * C; i++) total[i] += part[i];
    }
    backend.disposeData(partial.dataId);
  } else {
    const xd = f32(backend, x);
    const dyd = f32(backend, dy);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < C; c++, i++) {
        total[c] += dyd[i];
        total[C + c] += dyd[i] * (xd[i] - md[c]);
      }
    }
  }
  f32(backend, out).set(total);
  return out;
}

export const batchNormSumsConfig: KernelConfig = {
  kernelName: GRAFT_BATCH_NORM_SUMS,
  backendName: 'wasm',
  kernelFunc: batchNormSums as unknown as KernelFunc,
};
