import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

// tfjs-layers' Orthogonal initializer calls chained tensor methods (rMat.flatten()), which graft never registers
// (see docs/getting-started.md, "Tensors graft returns"). The same algorithm with functional ops, registered under
// the same class name, so `kernelInitializer: 'orthogonal'` and loading a saved model that names it both work.
const Base = Object.getPrototypeOf(tfl.initializers.orthogonal({})).constructor as new (
  config: object,
) => { gain: number; seed?: number };

class Orthogonal extends Base {
  static className = 'Orthogonal';

  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.tidy(() => {
      if (shape.length < 2) throw new Error('the orthogonal initializer needs a shape of rank 2 or more');
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shape[shape.length - 1];
      const k = Math.min(rows, cols);
      const random = tf.randomNormal([Math.max(rows, cols), k], 0, 1, 'float32', this.seed);
      const [q, r] = tf.linalg.qr(random, false);
      // Q made unique: each column's sign follows R's diagonal
      const diagonal = tf.stridedSlice(tf.reshape(r, [-1]), [0], [k * k], [k + 1]);
      let m = tf.mul(q, tf.sign(diagonal));
      if (rows < cols) m = tf.transpose(m);
      return tf.cast(tf.mul(tf.scalar(this.gain), tf.reshape(m, shape)), dtype ?? 'float32');
    });
  }
}

tf.serialization.registerClass(
  Orthogonal as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
