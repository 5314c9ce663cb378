import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CheckpointOptions } from '../io/checkpoint-options';
import { Callback } from './callback';
import type { History } from './history';

/** Writes weights, optimizer state, epoch and the whole history every `every` epochs (after History recorded it). */
export class Checkpoint extends Callback {
  override readonly readsBatchLoss = false;
  private readonly every: number;

  constructor(
    private readonly options: CheckpointOptions,
    private readonly net: tfl.LayersModel,
    private readonly optimizer: tf.Optimizer,
    private readonly history: History,
  ) {
    super();
    this.every = options.every ?? 1;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    if ((epoch + 1) % this.every !== 0) return;
    // the checkpoint codec loads with the first checkpoint written
    const { writeCheckpoint } = await import('../io/checkpoint');
    await writeCheckpoint(this.options.to, this.net, this.optimizer, epoch + 1, this.history.total());
  }
}
