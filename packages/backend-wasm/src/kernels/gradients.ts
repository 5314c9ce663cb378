import * as tf from '@tensorflow/tfjs-core';
import { ClipByValue, FusedBatchNorm, type GradConfig, Mean, type Tensor } from '@tensorflow/tfjs-core';
import { GRAFT_BATCH_NORM_SUMS } from './batch-norm-grad';
import { GRAFT_CLIP_GRAD } from './clip-grad';

/**
 * Gradients of ClipByValue (ReLU6) and FusedBatchNorm built on single kernels instead of chains of full-size
 * elementwise ops. The gradient registry is global, so each override checks that the active backend has
 * graft's kernel and otherwise runs tfjs' own gradient unchanged (cpu, webgpu, or wasm with graft's added
 * kernels unregistered).
 */

const has = (kernelName: string) => tf.getKernel(kernelName, tf.getBackend()) != null;

function clipByValueGrad(original: GradConfig): GradConfig['gradFunc'] {
  return (dy, saved, attrs) => {
    const [x] = saved;
    if (Array.isArray(dy) || x.dtype !== 'float32' || !has(GRAFT_CLIP_GRAD)) return original.gradFunc(dy, saved, attrs);
    return { x: () => tf.engine().runKernel(GRAFT_CLIP_GRAD, { x, dy }, attrs) as Tensor };
  };
}

function fusedBatchNormGrad(original: GradConfig): GradConfig['gradFunc'] {
  return (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const C = x.shape.at(-1);
    const perChannel = mean.rank === 1 && mean.size === C && variance.size === C && (scale == null || scale.size === C);
    if (Array.isArray(dy) || x.dtype !== 'float32' || !perChannel || !has(GRAFT_BATCH_NORM_SUMS)) {
      return original.gradFunc(dy, saved, attrs);
    }
    const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const sums = tf.engine().runKernel(GRAFT_BATCH_NORM_SUMS, { x, dy, mean }, {}) as Tensor;
    const [sumDy, sumDyCentered] = tf.unstack(sums);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const s = scale ?? tf.onesLike(mean);
    return {
      // dy * scale / sqrt(var + eps): the forward BatchNorm with mean 0 and no offset.
      x: () => tf.batchNorm(dy, tf.zerosLike(mean), variance, undefined, scale, eps),
      mean: () => tf.neg(tf.mul(tf.mul(inv, s), sumDy)),
      variance: () => tf.mul(tf.mul(tf.mul(tf.pow(inv, 3), s), sumDyCentered), -0.5),
      scale: () => tf.mul(inv, sumDyCentered),
      offset: () => sumDy,
    };
  };
}

/**
 * Mean's gradient as dy / n broadcast to x's shape: one full-size pass (graft's Tile, a block copy) where tfjs fills
 * a tensor of ones, multiplies it by dy and divides the product by n (three). BatchNorm's moments take two means per
 * layer in training, so this ran 104 times per MobileNetV2 step. Same values: dy * 1 / n is dy / n.
 */
let meanGradOn = true;

/** Benchmarks compare tfjs' Mean gradient with graft's in one run. */
export function useGraftMeanGrad(on: boolean): void {
  meanGradOn = on;
}

function meanGrad(original: GradConfig): GradConfig['gradFunc'] {
  return (dy, saved, attrs) => {
    const [x] = saved;
    if (!meanGradOn || Array.isArray(dy) || dy.dtype !== 'float32' || tf.getBackend() !== 'wasm')
      return original.gradFunc(dy, saved, attrs);
    const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
    const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const n = axes.reduce((p, a) => p * x.shape[a], 1);
    return { x: () => tf.broadcastTo(tf.div(tf.reshape(dy, expanded), n), x.shape) };
  };
}

const GRAFT = Symbol.for('graft.backend-wasm.gradient');

/** Wraps tfjs' registered gradients once (a second copy of this module finds them already wrapped). */
export function registerGraftGradients(): void {
  const wrappers: [string, (original: GradConfig) => GradConfig['gradFunc']][] = [
    [ClipByValue, clipByValueGrad],
    [FusedBatchNorm, fusedBatchNormGrad],
    [Mean, meanGrad],
  ];
  for (const [name, wrap] of wrappers) {
    const original = tf.getGradient(name);
    if (original == null || (original as unknown as Record<symbol, unknown>)[GRAFT] === true) continue;
    tf.registerGradient(Object.assign({ ...original, gradFunc: wrap(original) }, { [GRAFT]: true }));
  }
}
