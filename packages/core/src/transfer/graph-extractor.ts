import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';
import type { ExtractorBackbone, Preprocessing } from './backbone';

/** The parts of a tfjs-converter GraphModel graft uses (core does not depend on tfjs-converter). */
export interface GraphModelLike {
  execute(inputs: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap, outputs?: string | string[]): tf.Tensor | tf.Tensor[];
  executeAsync(
    inputs: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap,
    outputs?: string | string[],
  ): Promise<tf.Tensor | tf.Tensor[]>;
  inputs: { name: string; shape?: number[] }[];
  outputs: { name: string }[];
}

export function isGraphModel(x: unknown): x is GraphModelLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as GraphModelLike).execute === 'function' &&
    typeof (x as GraphModelLike).executeAsync === 'function' &&
    !('layers' in x)
  );
}

export interface GraphExtractorOptions {
  /** Graph node whose output are the features (e.g. "module_apply_default/MobilenetV1/Logits/global_pool"). */
  featureNode?: string;
  preprocessing?: Preprocessing;
  /** Sample shape [H, W, C] when the graph's input shape is not fixed. */
  inputShape?: number[];
  name?: string;
}

/** Wraps a GraphModel as a frozen feature extractor (a GraphModel cannot be trained). */
export function graphExtractor(model: GraphModelLike, options: GraphExtractorOptions = {}): ExtractorBackbone {
  const declared = model.inputs[0]?.shape?.slice(1);
  const inputShape =
    options.inputShape ??
    (declared && declared.every((d) => d > 0)
      ? declared
      : options.preprocessing
        ? [...options.preprocessing.size, 3]
        : null);
  if (!inputShape) {
    throw new GraftError(
      'INVALID_BASE',
      'the GraphModel input has no fixed size: pass inputShape or preprocessing.size',
    );
  }
  const node = options.featureNode;
  const run = (x: tf.Tensor): tf.Tensor => {
    try {
      const out = model.execute(x, node);
      const t = Array.isArray(out) ? out[0] : out;
      return t.rank > 2 ? tf.tidy(() => tf.reshape(t, [t.shape[0], -1])) : t;
    } catch (e) {
      if (node && /not find|not found|unknown|cannot/i.test((e as Error).message)) {
        throw new GraftError('UNKNOWN_LAYER', `the GraphModel has no node ${describe(node)}: ${(e as Error).message}`);
      }
      throw e;
    }
  };
  const probe = tf.tidy(() => run(tf.zeros([1, ...inputShape])));
  const featureShape = probe.shape.slice(1);
  probe.dispose();
  return {
    kind: 'extractor',
    name: options.name ?? 'graph-model',
    inputShape,
    featureShape,
    preprocessing: options.preprocessing,
    frozenReason:
      'a tfjs GraphModel cannot be trained (it has no gradients in tfjs); only a head on its features trains',
    async extract(batch: tf.Tensor) {
      const out = tf.tidy(() => run(batch));
      return out;
    },
  };
}
