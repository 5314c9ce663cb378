import type { ModelSpec } from 'graftjs';
import { rgbPixels } from '../data/pixels';

export type ModelKind = 'cnn' | 'mobilenet' | 'dropped';

/** The zoo entry the MobileNet choices load (its files served by the dev/preview server, or dropped on the page). */
export const BACKBONE = 'mobilenet_v1_0.25_224';
/** Where vite.config.ts serves the shared copy of that entry. */
export const SERVED_BACKBONE_URL = `models/${BACKBONE}/`;

/** Input side of each kind: a tiny CNN trains fast on 32 px; MobileNet wants 224 px. */
export function inputSize(kind: ModelKind): number {
  return kind === 'cnn' ? 32 : 224;
}

/**
 * A small CNN built with sequential(): three conv blocks and a global max pool (so a shape is recognised wherever
 * it sits), then a softmax. Learns the demo shapes to ~98% held-out accuracy in 15 epochs.
 */
export function cnnSpec(classes: number): ModelSpec {
  return {
    kind: 'sequential',
    inputShape: [32, 32, 3],
    seed: 42,
    layers: [
      { layer: 'conv2d', args: [16, 3, { activation: 'relu', padding: 'same' }] },
      { layer: 'maxPool2d', args: [2] },
      { layer: 'conv2d', args: [32, 3, { activation: 'relu', padding: 'same' }] },
      { layer: 'maxPool2d', args: [2] },
      { layer: 'conv2d', args: [32, 3, { activation: 'relu', padding: 'same' }] },
      { layer: 'globalMaxPool2d' },
      { layer: 'dense', args: [classes, { activation: 'softmax' }] },
    ],
  };
}

/** Frozen MobileNet v1 0.25 + a softmax head, the weights read from a URL or from dropped files. */
export function mobilenetSpec(classes: number, from: string | Record<string, ArrayBuffer>): ModelSpec {
  return { kind: 'transfer', backbone: BACKBONE, from, head: classes, seed: 42 };
}

/**
 * One picture as the model's input: the CNN takes floats centred on 0 (-1..1: with 0..1 inputs on light backgrounds
 * it trained far slower), MobileNet raw 0..255 pixels (its preprocessing is part of the model).
 */
export function encode(kind: ModelKind, picture: CanvasImageSource): Float32Array | Uint8Array {
  const rgb = rgbPixels(picture, inputSize(kind));
  if (kind !== 'cnn') return rgb;
  const f = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) f[i] = rgb[i] / 127.5 - 1;
  return f;
}
