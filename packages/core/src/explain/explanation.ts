import * as tf from '@tensorflow/tfjs-core';
import { heatmapRgba, type RgbaOptions } from './colormap';

/**
 * What `explain` returns: which class was explained and where the image speaks for it. The heatmap is plain numbers
 * (no tensor to free); `toTensor()` makes a tensor when one is wanted, and the caller owns (disposes) that.
 */
export interface Explanation {
  /** The class explained: the predicted one unless `classIndex` or `label` named another. */
  classIndex: number;
  /** Its name, when the model has class names. */
  label?: string;
  /** Its score before the last softmax/sigmoid (the logit Grad-CAM differentiates). */
  score: number;
  /** The layer whose activations were weighed. */
  layer: string;
  /** That layer's map size [h, w]: the heatmap is this coarse, resized (bilinear) to the image. */
  grid: [number, number];
  /** The image's size as given (a photo's own size), which the heatmap covers. */
  width: number;
  height: number;
  /** Row-major [height, width] values in [0, 1]: 1 where the class evidence is strongest, 0 where there is none. */
  heatmap: Float32Array;
  /** The heatmap as a new float32 tensor [height, width]; the caller owns it. */
  toTensor(): tf.Tensor2D;
  /** The heatmap as RGBA pixels (jet colours, alpha growing with heat) to draw over the image. */
  rgba(options?: RgbaOptions): Uint8ClampedArray<ArrayBuffer>;
}

export function explanation(fields: Omit<Explanation, 'toTensor' | 'rgba'>): Explanation {
  return {
    ...fields,
    toTensor: () => tf.tensor2d(fields.heatmap, [fields.height, fields.width]),
    rgba: (options) => heatmapRgba(fields.heatmap, options),
  };
}
