import type * as tf from '@tensorflow/tfjs-core';

/** A decoded image: 8-bit RGB, row-major (`data[(y * width + x) * 3 + c]`), no alpha. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** [height, width] in pixels, the order tfjs and Keras use. */
export type ImageSize = [number, number];

/**
 * Raw pixels with 3 (RGB) or 4 (RGBA, e.g. a canvas `ImageData`) channels per pixel.
 * A `DecodedImage` is one of these.
 */
export interface PixelBuffer {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Anything `toImageTensor` accepts as one image. Browser types are listed structurally so that this
 * file never needs DOM globals at run time.
 */
export type ImageSource =
  | PixelBuffer
  | Uint8Array
  | ArrayBuffer
  | string
  | tf.Tensor3D
  | tf.Tensor4D
  | BrowserImageSource;

/** Browser image objects read through `tf.browser.fromPixels`. */
export type BrowserImageSource =
  | HTMLImageElement
  | HTMLCanvasElement
  | HTMLVideoElement
  | OffscreenCanvas
  | ImageBitmap
  | ImageData;

/** Bounds for reading encoded images. */
export interface DecodeOptions {
  /**
   * Most pixels (width x height) an image may declare, checked from its header before decoding, and the most a
   * `size` may ask for; default 100 MP (100_000_000). A positive integer. Not a Keras option.
   */
  maxPixels?: number;
}

export interface ToImageTensorOptions extends DecodeOptions {
  /** Resize (bilinear) to [height, width]; default: keep the image's own size. */
  size?: ImageSize;
}

/**
 * Where a stream's pixels come from: given the names of a batch of its items (file paths here; another source
 * maps names to its own items: File/Blob, URLs), their decoded 8-bit RGB pixels in the same order. A bad item
 * rejects with its coded error naming it. Pluggable so the calling thread, a Node worker pool or a browser
 * decode pool serve the same batches; `close` ends whatever the source started (idempotent).
 */
export interface PixelSource {
  decode(names: readonly string[]): Promise<DecodedImage[]>;
  close(): Promise<void>;
}

/** Opens a PixelSource for one pass over a stream (a pool starts its workers here and ends them at close). */
export type PixelSourceFactory = () => Promise<PixelSource>;
