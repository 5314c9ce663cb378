import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';
import { Callback } from './callback';
import type { Logs } from './callbacks';
import { disposeSnapshot, restoreWeights, snapshotWeights, type WeightSnapshot } from './weights';

const ADVICE = ' (lower the learning rate, check inputs for extreme values, or pass nonFinite: "continue")';

/**
 * `nonFinite: 'stop'`: keeps the weights of the last finite epoch and, when an epoch's loss or weights turn NaN or
 * Inf, restores them and throws NON_FINITE_LOSS. First in the list, so nothing records the bad epoch.
 */
export class NonFiniteGuard extends Callback {
  private lastGood: WeightSnapshot | null = null;

  constructor(private readonly net: tfl.LayersModel) {
    super();
  }

  async onEpochBegin(): Promise<void> {
    disposeSnapshot(this.lastGood);
    this.lastGood = snapshotWeights(this.net);
  }

  async onEpochEnd(epoch: number, logs: Logs, batchLosses?: Float32Array): Promise<void> {
    // a clipped loss can stay finite while the weights overflow (some backends clamp NaN in clipByValue): check both
    const lossFinite = Number.isFinite(logs.loss);
    if (lossFinite && (await allFinite(this.net.trainableWeights.map((w) => w.read())))) return;
    if (this.lastGood) restoreWeights(this.net, this.lastGood);
    const back = `weights were rolled back to the end of epoch ${epoch}`;
    if (lossFinite) {
      throw new GraftError(
        'NON_FINITE_LOSS',
        `the weights became NaN or Inf during epoch ${epoch + 1} (the clipped loss read ${logs.loss}); ${back}${ADVICE}`,
        { epoch },
      );
    }
    const bad = Math.max(0, batchLosses?.findIndex((v) => !Number.isFinite(v)) ?? 0);
    throw new GraftError(
      'NON_FINITE_LOSS',
      `the loss became ${batchLosses?.[bad] ?? logs.loss} at epoch ${epoch + 1}, batch ${bad + 1}; ${back}${ADVICE}`,
      { epoch, batch: bad },
    );
  }

  async onTrainEnd(): Promise<void> {
    this.release();
  }

  override release(): void {
    disposeSnapshot(this.lastGood);
    this.lastGood = null;
  }
}

/** One sum per weight, read once: NaN or Inf anywhere makes its sum non-finite. */
async function allFinite(vars: tf.Tensor[]): Promise<boolean> {
  // pairwise adds, not addN: a GPU AddN may bind one buffer per input and fail past the device's limit
  const total = tf.tidy(() => vars.map((v) => tf.sum(tf.abs(v))).reduce((a, b) => tf.add(a, b)));
  const value = (await total.data())[0];
  total.dispose();
  return Number.isFinite(value);
}
