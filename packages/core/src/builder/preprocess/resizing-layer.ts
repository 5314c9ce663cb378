import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { asBatch, aspectCrop, type Interpolation, resize } from './image-ops';

/** A tfjs layer's base arguments (name, input shape, ...), which a loaded model's config carries too. */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

export interface ResizingArgs extends BaseLayerArgs {
  height: number;
  width: number;
  interpolation?: Interpolation;
  cropToAspectRatio?: boolean;
}

/**
 * Keras Resizing: NHWC images to `height` x `width`. Our own rather than tfjs-layers' `resizing`, which resizes
 * with aligned corners where Keras (TF2's `tf.image.resize`) uses half-pixel centres.
 */
export class GraftResizing extends tfl.layers.Layer {
  static className = 'GraftResizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;

  constructor(args: ResizingArgs) {
    super(args);
    this.height = args.height;
    this.width = args.width;
    this.interpolation = args.interpolation ?? 'bilinear';
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const { x, unbatch } = asBatch(inputs);
      const src = this.cropToAspectRatio ? aspectCrop(x, this.height, this.width) : x;
      const out = resize(src, this.height, this.width, this.interpolation);
      return unbatch ? tf.squeeze(out, [0]) : out;
    });
  }

  computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tfl.Shape;
    return [...s.slice(0, -3), this.height, this.width, s[s.length - 1]];
  }

  getConfig(): tf.serialization.ConfigDict {
    const { height, width, interpolation, cropToAspectRatio } = this;
    return { ...super.getConfig(), height, width, interpolation, cropToAspectRatio };
  }
}

tf.serialization.registerClass(GraftResizing);
