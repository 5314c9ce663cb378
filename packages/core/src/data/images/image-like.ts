import * as tf from '@tensorflow/tfjs-core';

/** True for inputs that look like images rather than numeric rows. */
export function isImageLike(x: unknown): boolean {
  if (x instanceof Uint8Array || x instanceof ArrayBuffer || typeof x === 'string') return true;
  if (typeof x !== 'object' || x === null || x instanceof tf.Tensor || Array.isArray(x)) return false;
  if ('data' in x && 'width' in x && 'height' in x) return true;
  const name = (x as object).constructor?.name ?? '';
  return /Image|Canvas|Video|Bitmap/.test(name);
}
