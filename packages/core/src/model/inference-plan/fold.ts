import * as tf from '@tensorflow/tfjs-core';
import { objectId } from '../../transfer/object-id';
import type { GraphLayer } from './plan';

interface LayerVar {
  read(): tf.Tensor;
}

/** A conv's kernel and bias with its BatchNormalization applied: what a fused conv multiplies by and adds. */
export interface FoldedConv {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D | undefined;
  /** The storage of every weight it was made from: tfjs gives a weight new storage whenever it is written. */
  key: string;
}

const v = (layer: GraphLayer, field: string) => (layer[field] as LayerVar | null | undefined) ?? null;

/** The weights a fold reads, in a fixed order (absent ones as null). */
export function foldSources(conv: GraphLayer, bn: GraphLayer | null, depthwise: boolean): (LayerVar | null)[] {
  const own = [v(conv, depthwise ? 'depthwiseKernel' : 'kernel'), v(conv, 'bias')];
  if (!bn) return own;
  return [...own, v(bn, 'gamma'), v(bn, 'beta'), v(bn, 'movingMean'), v(bn, 'movingVariance')];
}

/** Names the current storage of the weights; a different key means some weight was written since. */
export function foldKey(sources: (LayerVar | null)[]): string {
  return sources.map((s) => (s ? objectId((s.read() as unknown as { dataId: object }).dataId) : '-')).join(',');
}

/**
 * w' = w * s and b' = (b - mean) * s + beta per output channel, s = gamma / sqrt(var + eps): the conv followed by
 * BatchNormalization in inference mode, as one conv. A depthwise kernel [h, w, in, mult] has output channel
 * c * mult + m. The tensors are kept out of any enclosing tidy; the caller disposes them.
 */
export function foldConv(conv: GraphLayer, bn: GraphLayer | null, depthwise: boolean): FoldedConv {
  const sources = foldSources(conv, bn, depthwise);
  const key = foldKey(sources);
  const [k, b, gamma, beta, mean, variance] = sources.map((s) => s?.read() ?? null);
  const kernel = k as tf.Tensor4D;
  if (!bn) return { kernel: tf.keep(kernel.clone()), bias: b ? tf.keep(b.clone() as tf.Tensor1D) : undefined, key };
  const eps = bn.getConfig().epsilon as number;
  const folded = tf.tidy(() => {
    const inv = tf.rsqrt(tf.add(variance as tf.Tensor, eps));
    const s = gamma ? tf.mul(inv, gamma) : inv;
    const shaped = depthwise ? tf.reshape(s, [kernel.shape[2], kernel.shape[3]]) : s;
    const w = tf.mul(kernel, shaped) as tf.Tensor4D;
    const centred = b ? tf.sub(b, mean as tf.Tensor) : tf.neg(mean as tf.Tensor);
    const scaled = tf.mul(centred, s);
    const bias = (beta ? tf.add(scaled, beta) : scaled) as tf.Tensor1D;
    return [w, bias] as [tf.Tensor4D, tf.Tensor1D];
  });
  return { kernel: tf.keep(folded[0]), bias: tf.keep(folded[1]), key };
}
