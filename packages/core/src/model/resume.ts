import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { readCheckpoint, restoreCheckpointWeights } from '../io/checkpoint';
import type { OptimizerSlot } from './optimizer-slot';

/** Where a resumed fit starts: the epoch after the checkpoint's, and the history written with it. */
export interface ResumePoint {
  epoch: number;
  history: Record<string, number[]>;
}

/** Loads a checkpoint's weights into `net` and its state into a fresh optimizer (at the fit's rate). */
export async function resumeFrom(
  path: string,
  net: LayersModel,
  optimizer: OptimizerSlot,
  learningRate?: number,
): Promise<ResumePoint> {
  const ck = await readCheckpoint(path);
  try {
    restoreCheckpointWeights(net, ck, path);
    optimizer.reset();
    if (ck.optimizer.length) await optimizer.get(learningRate).setWeights(ck.optimizer);
  } finally {
    tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
  }
  return { epoch: ck.epoch, history: ck.history };
}
