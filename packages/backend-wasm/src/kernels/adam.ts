import { GraftError } from '@graftjs/core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { assertFloat32 } from './conv-info';
import { alloc, f32 } from './wasm-access';

/** graft's kernel for one Adam step on one weight (fused-adam.ts calls it in place of tfjs' op chain). */
export const GRAFT_ADAM = 'GraftAdamUpdate';

export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t: the bias corrections of step t. */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

/**
 * m' = beta1 m + (1 - beta1) g, v' = beta2 v + (1 - beta2) g^2,
 * value' = value - lr (m' / c1) / (sqrt(v' / c2) + epsilon), in one pass over the weight.
 * tfjs' AdamOptimizer runs 14 elementwise kernels per weight (plus a scalar upload per number), which cost a
 * MobileNetV2 step on wasm more in engine overhead than in arithmetic. Outputs: [value', m', v'].
 */
function adamUpdate(args: {
  inputs: { value: TensorInfo; m: TensorInfo; v: TensorInfo; grad: TensorInfo };
  attrs: AdamAttrs;
  backend: BackendWasm;
}): TensorInfo[] {
  const { inputs, attrs, backend } = args;
  for (const [name, t] of Object.entries(inputs)) assertFloat32(GRAFT_ADAM, name, t.dtype);
  const { learningRate: lr, beta1, beta2, epsilon, oneMinusAccBeta1: c1, oneMinusAccBeta2: c2 } = attrs;
  const n = util.sizeFromShape(inputs.value.shape);
  for (const [name, t] of Object.entries(inputs)) {
    if (!util.arraysEqual(t.shape, inputs.value.shape)) {
      throw new GraftError(
        'SHAPE_MISMATCH',
        `${GRAFT_ADAM} expects '${name}' of the weight's shape [${inputs.value.shape.join(', ')}], got [${t.shape.join(', ')}]`,
      );
    }
  }
  // allocate first: growing the heap detaches earlier views
  const outs = [alloc(backend, inputs.value.shape), alloc(backend, inputs.m.shape), alloc(backend, inputs.v.shape)];
  const [value, m, v, g] = [inputs.value, inputs.m, inputs.v, inputs.grad].map((t) => f32(backend, t));
  const [value2, m2, v2] = outs.map((t) => f32(backend, t));
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + a1 * gi;
    const vi = beta2 * v[i] + a2 * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    value2[i] = value[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
  return outs;
}

export const adamUpdateConfig: KernelConfig = {
  kernelName: GRAFT_ADAM,
  backendName: 'wasm',
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
