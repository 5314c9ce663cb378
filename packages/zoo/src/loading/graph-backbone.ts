import type { Embeds, ExtractorBackbone } from '@graftjs/core';
import { GraftError } from '@graftjs/core';
import { withEmbed } from '@graftjs/core/adapter';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import type { CatalogueEntry } from './types';
import type { VerifiedFiles } from './verified-files';
import { modelArtifacts } from './weight-data';

/** A frozen feature extractor over a tfjs GraphModel; `model` is kept for callers that need other nodes. */
export interface GraphBackbone extends ExtractorBackbone, Embeds {
  model: GraphModel;
  dispose(): void;
}

/** Loads verified graph-model files from memory and exposes the entry's feature node as `extract`. */
export async function graphBackbone(entry: CatalogueEntry, files: VerifiedFiles): Promise<GraphBackbone> {
  let model: GraphModel;
  try {
    model = await loadGraphModel(tf.io.fromMemory(modelArtifacts(files)));
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'INVALID_MODEL_FILE',
      `expected ${entry.name} to load as a graph model: ${(e as Error).message}`,
    );
  }
  const inputNode = entry.inputNode ?? model.inputs[0].name;
  const featureShape = entry.featureShape ?? [];
  const size = featureShape.reduce((a, b) => a * b, 1);
  const [h, w, c] = entry.inputShape;
  // execute() is synchronous and quiet; graphs with control flow or dynamic shapes need executeAsync().
  const run = async (batch: tf.Tensor): Promise<tf.Tensor> => {
    try {
      return model.execute({ [inputNode]: batch }, entry.feature) as tf.Tensor;
    } catch (e) {
      if (!/executeAsync/.test((e as Error).message)) throw e;
      return (await model.executeAsync({ [inputNode]: batch }, entry.feature)) as tf.Tensor;
    }
  };
  return withEmbed({
    kind: 'extractor',
    name: entry.name,
    model,
    inputShape: [...entry.inputShape],
    preprocessing: entry.preprocessing,
    featureShape: [...featureShape],
    frozenReason: 'a tfjs GraphModel cannot be trained',
    async extract(batch: tf.Tensor): Promise<tf.Tensor> {
      const s = batch.shape;
      if (s.length !== 4 || s[1] !== h || s[2] !== w || s[3] !== c) {
        throw new GraftError(
          'SHAPE_MISMATCH',
          `expected a batch of shape [N, ${h}, ${w}, ${c}]; got [${s.join(', ')}]`,
        );
      }
      const out = await run(batch);
      // The node may carry 1x1 spatial dims ([N,1,1,256]); features are [N, ...featureShape].
      const features = tf.reshape(out, [s[0], ...(size > 0 ? featureShape : out.shape.slice(1))]);
      if (features !== out) out.dispose();
      return features;
    },
    dispose() {
      model.dispose();
    },
  });
}
