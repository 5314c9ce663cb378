import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../../errors/graft-error';
import type { BrowserImageSource } from './types';

// Looked up on globalThis at call time so importing this file never touches DOM globals (Node, workers).
const BROWSER_CLASSES = [
  'HTMLImageElement',
  'HTMLCanvasElement',
  'HTMLVideoElement',
  'OffscreenCanvas',
  'ImageBitmap',
  'ImageData',
] as const;

export type BrowserSourceKind = (typeof BROWSER_CLASSES)[number];

/** Which browser image class `x` is an instance of, or null (always null outside browsers). */
export function browserSourceKind(x: unknown): BrowserSourceKind | null {
  if (typeof x !== 'object' || x === null) return null;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of BROWSER_CLASSES) {
    const C = g[name];
    if (typeof C === 'function' && x instanceof (C as new () => unknown)) return name;
  }
  return null;
}

/** Reads a browser image object into an int32 [H, W, 3] tensor through tf.browser.fromPixels. */
export async function browserSourceToTensor(x: BrowserImageSource, kind: BrowserSourceKind): Promise<tf.Tensor3D> {
  if (kind === 'HTMLImageElement') {
    const img = x as HTMLImageElement;
    // fromPixels reads nothing from an image that is still loading; wait for it.
    if (!img.complete || img.naturalWidth === 0) {
      try {
        await img.decode();
      } catch (e) {
        throw new GraftError(
          'INVALID_IMAGE',
          `expected a loaded <img>, but ${JSON.stringify(img.src)} could not be decoded: ${(e as Error).message}`,
        );
      }
    }
  }
  try {
    return tf.browser.fromPixels(x as Parameters<typeof tf.browser.fromPixels>[0], 3);
  } catch (e) {
    throw new GraftError(
      'INVALID_IMAGE',
      `expected a readable ${kind}, but reading its pixels failed: ${(e as Error).message}`,
    );
  }
}
