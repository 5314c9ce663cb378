import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';
import type { Checkpoint } from '../io/checkpoint';
import type { OptimizerSlot } from './optimizer-slot';

/** Where a resumed fit starts: the epoch after the checkpoint's, and the history written with it. */
export interface ResumePoint {
  epoch: number;
  history: Record<string, number[]>;
}

/**
 * Loads a checkpoint's weights into `net` and its state into a fresh optimizer (at the fit's rate). Everything is
 * checked first (the bytes whole, the weights, the optimizer's kind and state shapes), so a refused checkpoint
 * changes nothing and leaks nothing.
 */
export async function resumeFrom(
  path: string,
  net: LayersModel,
  optimizer: OptimizerSlot,
  learningRate?: number,
): Promise<ResumePoint> {
  // the checkpoint codec loads with the first resume
  const { readCheckpoint, restoreCheckpointWeights } = await import('../io/checkpoint');
  const ck = await readCheckpoint(path);
  try {
    checkOptimizerState(ck, optimizer.className, net.trainableWeights, path);
    restoreCheckpointWeights(net, ck, path);
    optimizer.reset();
    if (ck.optimizer.length) await optimizer.get(learningRate, net.trainableWeights).setWeights(ck.optimizer);
  } finally {
    tf.dispose([...ck.weights, ...ck.optimizer.map((o) => o.tensor)]);
  }
  return { epoch: ck.epoch, history: ck.history };
}

/**
 * tfjs optimizers hold an iteration count and then one slot per trainable variable per kind of state (Adam: m and
 * v), in variable order: the checkpoint's state must come from the same optimizer class over the same variables.
 */
function checkOptimizerState(
  ck: Checkpoint,
  className: string,
  trainable: { shape: readonly (number | null)[] }[],
  path: string,
): void {
  const refuse = (why: string) =>
    new GraftError(
      'SHAPE_MISMATCH',
      `expected the checkpoint ${path} to hold this model's optimizer state, got ${why}; resume with the optimizer the checkpoint was written with (compile({ optimizer }))`,
    );
  if (ck.optimizerClass !== undefined && ck.optimizerClass !== className)
    throw refuse(`state of ${ck.optimizerClass}, not ${className}`);
  const slots = ck.optimizer[0]?.name === 'iter' ? ck.optimizer.slice(1) : ck.optimizer;
  if (slots.length === 0) return;
  const n = trainable.length;
  if (n === 0 || slots.length % n !== 0) throw refuse(`${slots.length} state tensors for ${n} trainable weights`);
  slots.forEach((o, i) => {
    if (o.tensor.shape.join() !== trainable[i % n].shape.join())
      throw refuse(`state ${o.name} of shape [${o.tensor.shape}] where [${trainable[i % n].shape}] belongs`);
  });
}
