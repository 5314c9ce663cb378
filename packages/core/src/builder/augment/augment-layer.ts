import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng, type Rng } from '../../data/rng';
import { GraftError } from '../../errors/graft-error';
import { seedOf } from './factors';

export interface AugmentArgs {
  seed?: number;
  name?: string;
  inputShape?: number[];
}

/**
 * A random preprocessing layer (Keras' RandomFlip etc.): augments only when called with `training: true` (fit),
 * the identity (or, for a crop, its inference form) otherwise. Its draws come from a stream seeded by the layer's
 * `seed`; a seeded fit re-seeds it every batch (the loop writes `seed`, as for Dropout), so two runs with the same
 * seeds see the same augmented batches. No weights: it saves as its config.
 */
export abstract class AugmentLayer extends tfl.layers.Layer {
  private readonly layerSeed?: number;
  private stream: Rng;

  constructor(args: AugmentArgs) {
    const { seed, ...rest } = args;
    super(rest);
    this.layerSeed = seedOf(seed, this.getClassName());
    this.stream = createRng(this.layerSeed);
    this.trainable = false;
  }

  /** The layer's own seed; assigning one (the loop does, per batch of a seeded fit) restarts the stream there. */
  get seed(): number | undefined {
    return this.layerSeed;
  }

  set seed(value: number | undefined) {
    this.stream = createRng(value);
  }

  /** Augments a batch of images [n, h, w, c]; each draw comes from `rng`. */
  protected abstract augment(x: tf.Tensor4D, rng: Rng): tf.Tensor4D;

  /** What the layer does outside training: the identity, but a crop still crops. */
  protected infer(x: tf.Tensor4D): tf.Tensor4D {
    // a new handle on the same data: tfjs-layers may free a layer's output, which must not be the caller's input
    return tf.clone(x);
  }

  /** The layer's own arguments, Keras' names in camelCase (seed and the base config are added). */
  protected abstract args(): tf.serialization.ConfigDict;

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    if (x.rank !== 4)
      throw new GraftError(
        'INVALID_LAYER',
        `expected ${this.getClassName()} input as images [n, h, w, c], got rank ${x.rank}`,
      );
    return tf.tidy(() => (kwargs?.training === true ? this.augment(x, this.stream) : this.infer(x)));
  }

  computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tfl.Shape;
    if (s.length !== 4)
      throw new GraftError(
        'INVALID_LAYER',
        `expected ${this.getClassName()} on images [height, width, channels], got a sample of rank ${s.length - 1}`,
      );
    return s;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...this.args(), seed: this.layerSeed ?? null, ...super.getConfig() };
  }
}
