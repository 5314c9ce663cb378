import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Random BatchNormalization statistics: with Keras' defaults a random-init MobileNetV2 collapses to a
 * constant output, which would make an accuracy column meaningless (the timings would not change).
 */
export function seedBatchNorms(model: tfl.LayersModel): void {
  let seed = 1;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w) => {
      const short = (w.originalName ?? w.name).split('/').pop() as string;
      const [lo, hi] = short.startsWith('gamma') || short.startsWith('moving_variance') ? [0.5, 1.5] : [-0.2, 0.2];
      return tf.randomUniform([w.shape[0] as number], lo, hi, 'float32', seed++);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}
