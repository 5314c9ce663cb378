import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { preprocess } from '../data/images/preprocess';
import { inferenceApply, releaseFolded } from '../model/inference-plan/folded-inference';
import type { Backbone, Preprocessing } from './backbone';

/**
 * Features of one batch of raw rows: preprocessing, then the layers stem (base cut and pooled) or the extractor,
 * flattened to [n, d]. The one place features are made, for training caches and `embed` alike.
 */
export async function extractRows(
  backbone: Backbone,
  stem: () => tfl.LayersModel,
  pre: Preprocessing | undefined,
  rows: tf.Tensor,
): Promise<tf.Tensor> {
  const input = pre ? preprocess(rows as tf.Tensor4D, pre) : rows;
  try {
    if (backbone.kind === 'layers') {
      const net = stem();
      // folded per batch and freed: the base stays the only copy of its weights between feature passes
      try {
        return inferenceApply(net, input);
      } finally {
        releaseFolded(net);
      }
    }
    const f = await backbone.extract(input);
    if (f.rank <= 2) return f;
    const flat = tf.reshape(f, [f.shape[0], -1]);
    f.dispose();
    return flat;
  } finally {
    if (input !== rows) input.dispose();
  }
}
