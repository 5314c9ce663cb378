import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Scales each row to unit L2 norm. Registered for serialization so saved embedding models load again. */
export class L2Normalize extends tfl.layers.Layer {
  static className = 'GraftL2Normalize';

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', -1, true), 1e-12));
    });
  }

  computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return shape;
  }
}

tf.serialization.registerClass(L2Normalize);
