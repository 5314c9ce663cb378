import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A copy of every weight of a model (trainable or not: BatchNorm statistics too). */
export type WeightSnapshot = tf.Tensor[];

export function snapshotWeights(net: LayersModel): WeightSnapshot {
  return net.weights.map((w) => tf.keep(w.read().clone()));
}

export function restoreWeights(net: LayersModel, snap: WeightSnapshot): void {
  net.weights.forEach((w, i) => {
    w.write(snap[i]);
  });
}

export function disposeSnapshot(snap: WeightSnapshot | null | undefined): void {
  if (snap) for (const t of snap) t.dispose();
}
