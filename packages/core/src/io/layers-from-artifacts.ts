import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';

/**
 * Builds a tfjs LayersModel from loaded artifacts, leaving nothing alive when it fails.
 *
 * `tfl.loadLayersModel` leaks on two paths: a layer config that fails part-way leaves the weights of the layers built
 * before it registered, and weights that do not fit the topology leave the built model and the decoded weight
 * tensors alive. So tfjs only builds the topology here and graft loads the weights:
 * - tfjs reads `artifacts.modelTopology` right before it deserialises (synchronously), so a getter there marks the
 *   start of the build; variables registered after it are freed if the build fails. Only a microtask running after
 *   the failed build and before this catch could register one in between: a window of a few ticks, in which graft
 *   creates none.
 * - tfjs reads `weightData` twice: first to decide on zero-filled (fast) initialisers, then to load it. The getter
 *   answers the first read only, so layers start as zeros (no costly or huge random initialisers) and the weights
 *   are decoded and assigned below, with the model disposed if they do not fit.
 */
export async function layersModelFromArtifacts(
  artifacts: tf.io.ModelArtifacts,
  options: { strict?: boolean } = {},
): Promise<tfl.LayersModel> {
  const strict = options.strict ?? true;
  const registered = () => Object.keys(tf.engine().registeredVariables);
  let before: Set<string> | undefined;
  let weightReads = 0;
  // optimizer state and training config are dropped: graft builds its own optimizer at fit time
  const { modelTopology, weightData, weightSpecs, userDefinedMetadata } = artifacts;
  const watched = {
    weightSpecs,
    userDefinedMetadata,
    get modelTopology() {
      before ??= new Set(registered());
      return modelTopology;
    },
    get weightData() {
      return weightReads++ === 0 ? weightData : undefined;
    },
  } as tf.io.ModelArtifacts;
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel({ load: async () => watched }, { strict });
  } catch (e) {
    if (before) {
      const vars = tf.engine().registeredVariables;
      for (const n of registered()) if (!before.has(n)) vars[n]?.dispose();
    }
    throw e;
  }
  try {
    if (weightData != null) {
      if (weightSpecs == null) throw new Error('the artifacts hold weight data but no weight specs');
      loadWeights(model, weightData, weightSpecs, strict);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

function loadWeights(
  model: tfl.LayersModel,
  data: tf.io.WeightData,
  specs: tf.io.WeightsManifestEntry[],
  strict: boolean,
): void {
  // decodeWeights keys its result by name: a name given twice would leave the first tensor alive and unreachable
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name))
      throw new GraftError(
        'INVALID_MODEL_FILE',
        `expected each weight name once in the manifest, got ${JSON.stringify(s.name)} twice`,
      );
    seen.add(s.name);
  }
  const decoded = tf.io.decodeWeights(data, specs);
  try {
    const modelWeights: tf.NamedTensorMap = {};
    for (const s of specs) if (s.group !== 'optimizer') modelWeights[s.name] = decoded[s.name];
    model.loadWeights(modelWeights, strict);
  } finally {
    tf.dispose(Object.values(decoded));
  }
}
