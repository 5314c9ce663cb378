import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GraphRun } from './graph-run';

const SQUASHING = new Set(['softmax', 'sigmoid']);

interface ConfiguredLayer {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  weights: { read(): tf.Tensor }[];
}

/**
 * The network's class scores before its last softmax or sigmoid (the logits), as [1, k], for the sample the run was
 * fed. Grad-CAM differentiates these, as the paper does: a probability saturates, so its gradient vanishes for a
 * confident prediction. A last layer that is linear already gives logits; a nested model (a transfer head) is
 * opened to find its last layer.
 */
export function classScores(run: GraphRun, output: tfl.SymbolicTensor): tf.Tensor2D {
  const layer = output.sourceLayer;
  if (layer instanceof tfl.LayersModel) {
    const inner = new GraphRun(layer.inputs.map((s, i) => [s, run.value(output.inputs[i])]));
    return classScores(inner, layer.outputs[output.outputTensorIndex ?? 0]);
  }
  const config = layer as unknown as ConfiguredLayer;
  const cls = config.getClassName();
  const activation = cls === 'Softmax' ? 'softmax' : config.getConfig().activation;
  const squashed = typeof activation === 'string' && SQUASHING.has(activation);
  let scores: tf.Tensor;
  if (squashed && (cls === 'Softmax' || cls === 'Activation')) scores = run.value(output.inputs[0]);
  else if (squashed && cls === 'Dense') scores = denseLogits(config, run.value(output.inputs[0]));
  else scores = run.value(output);
  return tf.reshape(scores, [1, -1]);
}

/** A Dense layer's output before its activation: x . kernel + bias (over the last axis, as Keras' Dense). */
function denseLogits(layer: ConfiguredLayer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const rows = tf.reshape(x, [-1, kernel.shape[0]]);
  const out = tf.matMul(rows, kernel as tf.Tensor2D);
  return bias ? tf.add(out, bias) : out;
}
