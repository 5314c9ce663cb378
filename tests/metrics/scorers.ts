import { sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';

/** dense(3) softmax with an identity kernel: the input rows are log-probabilities, the output those probabilities. */
export function softmaxScorer() {
  const model = sequential({ inputShape: [3], seed: 1 }).dense(3, { activation: 'softmax' });
  model.net.layers[0].setWeights([tf.eye(3), tf.zeros([3])]);
  return model;
}

/** dense(1) with weight 1 and bias 0: the input is the logit, so each sample's score is chosen exactly. */
export function binaryScorer(activation: 'sigmoid' | 'linear') {
  const model = sequential({ inputShape: [1], seed: 1 }).dense(1, { activation });
  model.net.layers[0].setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
  return model;
}
