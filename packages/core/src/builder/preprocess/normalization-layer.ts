import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GraftError } from '../../errors/graft-error';
import type { BaseLayerArgs } from './resizing-layer';

/** Keras' `backend.epsilon()`: the floor of the standard deviation Normalization divides by. */
export const NORMALIZATION_EPSILON = 1e-7;

export interface NormalizationArgs extends BaseLayerArgs {
  /** Axes (of the batch shape, so 1 is the first sample axis) that keep their own statistics; null: one for all. */
  axis?: number | number[] | null;
  mean?: number | number[];
  variance?: number | number[];
  /** Set by `adapt` and saved with the model, so a loaded layer knows its statistics are real. */
  adapted?: boolean;
}

/**
 * Keras Normalization: `(x - mean) / max(sqrt(variance), 1e-7)`, with the statistics given or computed by `adapt`.
 * They are non-trainable weights, saved with the model. Until it has them the layer refuses to run.
 */
export class GraftNormalization extends tfl.layers.Layer {
  static className = 'GraftNormalization';
  readonly axis: number[] | null;
  private readonly given: { mean?: number | number[]; variance?: number | number[] };
  private adaptedFlag: boolean;
  private stats: { mean: tfl.LayerVariable; variance: tfl.LayerVariable } | null = null;

  constructor(args: NormalizationArgs = {}) {
    const { axis, mean, variance, adapted, ...base } = args;
    super(base);
    this.axis = axis === null ? null : typeof axis === 'number' ? [axis] : (axis ?? [-1]);
    this.given = { mean, variance };
    this.adaptedFlag = adapted === true || mean !== undefined;
  }

  get adapted(): boolean {
    return this.adaptedFlag;
  }

  /** Sample axes (0-based, without the batch) that keep their own statistics, for an input of batch rank `rank`. */
  keptAxes(rank: number): number[] {
    return (this.axis ?? []).map((a) => (a < 0 ? rank + a : a) - 1);
  }

  /** The statistics' shape: the kept axes' sizes, 1 elsewhere (broadcasts over a batch). */
  statShape(inputShape: tfl.Shape): number[] {
    const kept = this.keptAxes(inputShape.length);
    return inputShape.slice(1).map((d, i) => (kept.includes(i) ? (d as number) : 1));
  }

  build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = this.statShape((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape);
    const mean = this.addWeight('mean', shape, 'float32', tfl.initializers.zeros(), undefined, false);
    const variance = this.addWeight('variance', shape, 'float32', tfl.initializers.ones(), undefined, false);
    this.stats = { mean, variance };
    if (this.given.mean !== undefined) this.write(tf.tensor(this.given.mean), tf.tensor(this.given.variance ?? 1));
    this.built = true;
  }

  /** Sets the statistics (broadcast to the layer's shape) and marks the layer adapted. */
  write(mean: tf.Tensor, variance: tf.Tensor): void {
    const stats = this.stats as NonNullable<typeof this.stats>;
    const shape = stats.mean.shape as number[];
    const fit = (t: tf.Tensor) => tf.broadcastTo(tf.reshape(t, t.size === 1 ? [] : shape), shape);
    tf.tidy(() => {
      stats.mean.write(fit(mean));
      stats.variance.write(fit(variance));
    });
    mean.dispose();
    variance.dispose();
    this.adaptedFlag = true;
  }

  /** Puts back statistics and state saved before a failed adapt. */
  restore(weights: tf.Tensor[], adapted: boolean): void {
    this.setWeights(weights);
    this.adaptedFlag = adapted;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!this.adaptedFlag || !this.stats)
      throw new GraftError(
        'NOT_ADAPTED',
        `expected normalization layer "${this.name}" to have its mean and variance: call model.adapt(data) first, or pass { mean, variance }; got neither`,
      );
    const { mean, variance } = this.stats;
    return tf.tidy(() => {
      const t = Array.isArray(inputs) ? inputs[0] : inputs;
      const x = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
      return tf.div(tf.sub(x, mean.read()), tf.maximum(tf.sqrt(variance.read()), NORMALIZATION_EPSILON));
    });
  }

  computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return shape;
  }

  getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig(), axis: this.axis, adapted: this.adaptedFlag };
    if (this.given.mean !== undefined) config.mean = this.given.mean;
    if (this.given.variance !== undefined) config.variance = this.given.variance;
    return config;
  }
}

tf.serialization.registerClass(GraftNormalization);
