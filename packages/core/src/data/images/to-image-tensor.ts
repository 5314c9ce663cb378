import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../../errors/graft-error';
import { browserSourceKind, browserSourceToTensor } from './browser-source';
import { checkImageSize } from './image-size';
import { checkMaxPixels } from './max-pixels';
import { isPixelBuffer, pixelsToTensor } from './pixels-to-tensor';
import { resizeOwned } from './resize';
import { tensorToImage } from './tensor-source';
import type { BrowserImageSource, DecodeOptions, ImageSource, ToImageTensorOptions } from './types';

async function sourceToTensor(source: ImageSource, bounds: DecodeOptions): Promise<tf.Tensor3D> {
  if (source instanceof tf.Tensor) return tensorToImage(source);
  // the pure-JS decoders load on the first encoded image: an app that never passes bytes or paths never loads them
  if (source instanceof Uint8Array || source instanceof ArrayBuffer)
    return pixelsToTensor((await import('./decode-image')).decodeImage(source, bounds));
  if (typeof source === 'string')
    return pixelsToTensor(await (await import('./read-image-file')).readImageFile(source, bounds));
  // ImageData is a pixel buffer too; reading it directly also works outside browsers.
  if (isPixelBuffer(source)) return pixelsToTensor(source);
  const kind = browserSourceKind(source);
  if (kind) {
    const t = await browserSourceToTensor(source as BrowserImageSource, kind);
    const f = tf.cast(t, 'float32') as tf.Tensor3D;
    t.dispose();
    return f;
  }
  throw new GraftError(
    'INVALID_DATA',
    `expected an image: encoded bytes (Uint8Array/ArrayBuffer), a file path, decoded pixels {data, width, height}, a browser image/canvas/video/ImageBitmap, or a [H, W, 3] tensor; got ${describe(source)}`,
  );
}

/**
 * One image as a new float32 tf.Tensor3D [height, width, 3] with values 0..255, optionally resized
 * (bilinear) to `options.size`. Encoded images above `options.maxPixels` (default 100 MP) are refused unread. The caller owns (and disposes) the result; a tensor input is not consumed.
 */
export async function toImageTensor(source: ImageSource, options: ToImageTensorOptions = {}): Promise<tf.Tensor3D> {
  const maxPixels = checkMaxPixels(options.maxPixels, 'options.maxPixels');
  const size = options.size === undefined ? undefined : checkImageSize(options.size, 'options.size', maxPixels);
  const img = await sourceToTensor(source, { maxPixels });
  return size ? resizeOwned(img, size) : img;
}
