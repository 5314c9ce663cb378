import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { assertFloat32 } from './conv-info';
import { heapOffset } from './simd';
import { elementwiseSimdFor, f32Bits } from './simd-elementwise';
import { alloc, f32 } from './wasm-access';

/** graft's kernel for ClipByValue's gradient (gradients.ts routes the gradient here on backends that have it). */
export const GRAFT_CLIP_GRAD = 'GraftClipByValueGrad';

/**
 * dx = dy where clipValueMin <= x <= clipValueMax, else 0: the gradient of ReLU6 (and any clip) in one pass.
 * tfjs' gradient builds it from GreaterEqual, LessEqual, LogicalAnd, ZerosLike and Select, five full-size
 * kernels that took a fifth of a MobileNetV2 training step on wasm.
 */
function clipByValueGrad(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: { clipValueMin: number; clipValueMax: number };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, dy } = inputs;
  assertFloat32(GRAFT_CLIP_GRAD, 'x', x.dtype);
  assertFloat32(GRAFT_CLIP_GRAD, 'dy', dy.dtype);
  const n = util.sizeFromShape(x.shape);
  const lo = Math.fround(attrs.clipValueMin);
  const hi = Math.fround(attrs.clipValueMax);
  const dx = alloc(backend, x.shape);
  const simd = elementwiseSimdFor(backend);
  const n4 = simd == null ? 0 : n >> 2;
  if (simd != null && n4 > 0) {
    const at = (t: TensorInfo) => heapOffset(backend, t.dataId);
    simd.clipGrad(at(x), at(dy), at(dx), n4, f32Bits(lo), f32Bits(hi));
  }
  const xd = f32(backend, x);
  const dyd = f32(backend, dy);
  const dxd = f32(backend, dx);
  for (let i = n4 * 4; i < n; i++) dxd[i] = xd[i] >= lo && xd[i] <= hi ? dyd[i] : 0;
  return dx;
}

export const clipByValueGradConfig: KernelConfig = {
  kernelName: GRAFT_CLIP_GRAD,
  backendName: 'wasm',
  kernelFunc: clipByValueGrad as unknown as KernelFunc,
};
