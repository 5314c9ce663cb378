import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { predictedClass } from './class-choice';
import { classScores } from './class-scores';
import { GraphRun } from './graph-run';
import type { TargetLayer } from './target-layer';
import { upsample } from './upsample';

/** A Grad-CAM map for one class, read back from the backend. */
export interface CamResult {
  classIndex: number;
  /** The class score differentiated: the logit before the last softmax/sigmoid (negated for class 0 of one unit). */
  score: number;
  /** Row-major [height, width], in [0, 1]. */
  heatmap: Float32Array;
  /** The target layer's map size [h, w]: how coarse the heatmap really is. */
  grid: [number, number];
}

/** The scalar Grad-CAM explains: class c's score; a one-unit output scores class 1 by its logit, class 0 by minus it. */
function classScore(scores: tf.Tensor2D, c: number): tf.Scalar {
  const units = scores.shape[1];
  if (units === 1) return tf.mul(tf.reshape(scores, []), c === 1 ? 1 : -1) as tf.Scalar;
  return tf.reshape(tf.slice(scores, [0, c], [1, 1]), []) as tf.Scalar;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): the target layer's activations A and the gradient of the class score with
 * respect to them; each channel weighs by its gradient's spatial mean; the map is ReLU(sum of weighted channels),
 * divided by its maximum (all zeros when nothing speaks for the class), resized to [height, width]. `input` is the
 * network's input [1, ...]; `classIndex` undefined explains the predicted class.
 */
export async function gradCam(
  net: tfl.LayersModel,
  target: TargetLayer,
  input: tf.Tensor,
  size: [number, number],
  classIndex?: number,
): Promise<CamResult> {
  const output = net.outputs[0];
  const feed = (): [tfl.SymbolicTensor, tf.Tensor][] => [[net.inputs[0], input]];
  const { activations, scores } = tf.tidy(() => {
    const run = new GraphRun(feed());
    return { activations: run.value(target.tensor) as tf.Tensor4D, scores: classScores(run, output) };
  });
  try {
    const values = (await scores.data()) as Float32Array;
    const c = classIndex ?? predictedClass(values);
    const score = values.length === 1 && c === 0 ? -values[0] : values[values.length === 1 ? 0 : c];
    const [, h, w] = activations.shape;
    const heat = tf.tidy(() => {
      const grads = tf.grad((a: tf.Tensor) => {
        const run = new GraphRun([...feed(), [target.tensor, a]]);
        return classScore(classScores(run, output), c);
      })(activations);
      const weights = tf.mean(grads, [1, 2], true);
      const map = tf.reshape(tf.relu(tf.sum(tf.mul(activations, weights), -1)), [h, w]) as tf.Tensor2D;
      const normalised = tf.divNoNan(map, tf.max(map)) as tf.Tensor2D;
      return upsample(normalised, size[0] || h, size[1] || w);
    });
    const heatmap = (await heat.data()) as Float32Array;
    heat.dispose();
    return { classIndex: c, score, heatmap, grid: [h, w] };
  } finally {
    activations.dispose();
    scores.dispose();
  }
}
