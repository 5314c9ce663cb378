import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { asBatch, aspectCrop, centralCrop, resize } from './image-ops';
import type { BaseLayerArgs } from './resizing-layer';

/**
 * Keras CenterCrop: the central `height` x `width` window; an image smaller than that is cropped to the target's
 * aspect ratio and resized up, as Keras does. Ours, since tfjs-layers' `centerCrop` shifts odd-sized windows.
 */
export class GraftCenterCrop extends tfl.layers.Layer {
  static className = 'GraftCenterCrop';
  readonly height: number;
  readonly width: number;

  constructor(args: BaseLayerArgs & { height: number; width: number }) {
    super(args);
    this.height = args.height;
    this.width = args.width;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const { x, unbatch } = asBatch(inputs);
      const [, H, W] = x.shape;
      const { height: h, width: w } = this;
      const out = H >= h && W >= w ? centralCrop(x, h, w) : resize(aspectCrop(x, h, w), h, w, 'bilinear');
      return unbatch ? tf.squeeze(out, [0]) : out;
    });
  }

  computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tfl.Shape;
    return [...s.slice(0, -3), this.height, this.width, s[s.length - 1]];
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

tf.serialization.registerClass(GraftCenterCrop);
