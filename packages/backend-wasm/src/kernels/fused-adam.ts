import * as tf from '@tensorflow/tfjs-core';
import { type AdamAttrs, GRAFT_ADAM } from './adam';

/** The AdamOptimizer fields a step reads and writes (private in tfjs' typings, plain properties at run time). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

type Gradients = tf.NamedTensorMap | tf.NamedTensor[];

const PATCHED = Symbol.for('graft.backend-wasm.fusedAdam');
let enabled = true;

/** Benchmarks switch the fused step alone off and on (useGraftWasmKernels(false) turns it off with the rest). */
export function useFusedAdam(on: boolean): void {
  enabled = on;
}

/** The moment slot i, created as tfjs does (zeros, not trainable, named `<weight>/m` or `/v`). */
function slot(list: AdamState['accumulatedFirstMoment'], i: number, name: string, suffix: string, value: tf.Tensor) {
  list[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return (list[i] as { variable: tf.Variable }).variable;
}

/** One Adam step with one GraftAdamUpdate kernel per weight; state and order as tfjs' applyGradients keeps them. */
function fusedStep(opt: AdamState, gradients: Gradients): void {
  const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
  // the bias corrections as tfjs computes them: from the float32 accumulators (a sync read of a wasm scalar)
  const attrs: AdamAttrs = {
    learningRate: opt.learningRate,
    beta1: opt.beta1,
    beta2: opt.beta2,
    epsilon: opt.epsilon,
    oneMinusAccBeta1: Math.fround(1 - opt.accBeta1.dataSync()[0]),
    oneMinusAccBeta2: Math.fround(1 - opt.accBeta2.dataSync()[0]),
  };
  tf.tidy(() => {
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      const m = slot(opt.accumulatedFirstMoment, i, name, 'm', value);
      const v = slot(opt.accumulatedSecondMoment, i, name, 'v', value);
      const grad = Array.isArray(gradients) ? gradients[i].tensor : gradients[name];
      if (grad == null) return;
      const inputs = { value, m, v, grad } as unknown as tf.NamedTensorMap;
      const [value2, m2, v2] = tf.engine().runKernel(GRAFT_ADAM, inputs, attrs as never) as tf.Tensor[];
      m.assign(m2);
      v.assign(v2);
      value.assign(value2);
    });
    opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
    opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
  });
  opt.incrementIterations();
}

/**
 * Routes tfjs' AdamOptimizer.applyGradients through the fused kernel while `active()` says so, the active backend
 * has the kernel and every gradient is float32; anything else runs tfjs' own update unchanged. Installed once per
 * tfjs-core instance (the prototype is shared by every Adam, graft's and the app's).
 */
export function installFusedAdam(active: () => boolean): void {
  const proto = tf.AdamOptimizer.prototype as unknown as Record<symbol, unknown> & {
    applyGradients(this: AdamState, g: Gradients): void;
  };
  if (proto[PATCHED]) return;
  const stock = proto.applyGradients;
  proto.applyGradients = function (this: AdamState, gradients: Gradients) {
    const grads = Array.isArray(gradients) ? gradients.map((g) => g.tensor) : Object.values(gradients);
    const fused =
      enabled &&
      active() &&
      tf.getKernel(GRAFT_ADAM, tf.getBackend()) != null &&
      grads.every((g) => g == null || g.dtype === 'float32');
    if (!fused) return stock.call(this, gradients);
    fusedStep(this, gradients);
  };
  proto[PATCHED] = true;
}
