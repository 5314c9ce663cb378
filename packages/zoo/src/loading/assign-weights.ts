import { GraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { VerifiedFiles } from './verified-files';
import { weightData } from './weight-data';

/**
 * Loads published weights into `model` by Keras weight name ("conv_pw_13/kernel"). Every weight of the model must
 * be present with the same shape; published weights the model lacks (e.g. the classifier when includeTop is false)
 * are ignored. Decoded tensors are freed before returning.
 */
export function assignWeights(model: LayersModel, files: VerifiedFiles, source: string): void {
  const { specs, data } = weightData(files);
  const named = tf.io.decodeWeights(data, specs);
  try {
    const pairs: [(typeof model.weights)[number], tf.Tensor][] = [];
    for (const w of model.weights) {
      const value = named[w.originalName];
      if (!value) {
        throw new GraftError(
          'WEIGHTS_MISSING',
          `expected ${source} to hold weight ${JSON.stringify(w.originalName)} that ${model.name} needs; it does not`,
          { weight: w.originalName },
        );
      }
      if (!tf.util.arraysEqual(value.shape, w.shape as number[])) {
        throw new GraftError(
          'SHAPE_MISMATCH',
          `expected weight ${w.originalName} of shape [${w.shape}] for ${model.name}; ${source} has [${value.shape}]`,
          { weight: w.originalName, expected: w.shape, actual: value.shape },
        );
      }
      pairs.push([w, value]);
    }
    // Write only after every weight checked, so a failed load leaves the model as it was.
    for (const [w, value] of pairs) w.write(value);
  } finally {
    tf.dispose(named);
  }
}
