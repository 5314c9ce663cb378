import * as tf from '@tensorflow/tfjs-core';

/**
 * Batch-hard triplet loss (Hermans et al. 2017): for each anchor, the farthest same-class sample should be
 * closer than the nearest other-class sample by `margin`. Labels are class indices; embeddings unit-norm.
 */
export function tripletLoss(margin: number) {
  return (labels: tf.Tensor, embeddings: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const y = tf.reshape(labels, [-1, 1]);
      const n = embeddings.shape[0] as number;
      // squared distances of unit vectors: 2 - 2 cos
      const dots = tf.matMul(embeddings, embeddings, false, true);
      const dist = tf.relu(tf.sub(2, tf.mul(2, dots)));
      const same = tf.cast(tf.equal(y, tf.transpose(y)), 'float32');
      const eye = tf.eye(n);
      const positive = tf.sub(same, eye);
      const negative = tf.sub(1, same);
      const hardestPositive = tf.max(tf.mul(dist, positive), 1);
      // push same-class pairs out of the min with a large offset
      const hardestNegative = tf.min(tf.add(dist, tf.mul(tf.sub(1, negative), 4)), 1);
      return tf.mean(tf.relu(tf.add(tf.sub(hardestPositive, hardestNegative), margin)));
    });
}
