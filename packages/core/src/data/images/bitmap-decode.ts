import type { DecodedImage } from './types';

/**
 * True where a browser can decode images natively off the DOM: `createImageBitmap` and `OffscreenCanvas` (every
 * current browser, in windows and workers; not Node).
 */
export function canDecodeBitmaps(): boolean {
  const g = globalThis as Record<string, unknown>;
  return typeof g.createImageBitmap === 'function' && typeof g.OffscreenCanvas === 'function';
}

/**
 * Decodes JPEG or PNG bytes with the browser's own decoder (`createImageBitmap`, no colour conversion, alpha not
 * premultiplied) and reads the pixels back through an `OffscreenCanvas` as 8-bit RGB (alpha dropped). Lossless
 * formats give exactly the JavaScript decoder's pixels; a JPEG may differ by a level or two (another IDCT).
 * The same steps run in the decode pool's workers (browser-decode-worker-source.ts).
 */
export async function decodeBitmap(bytes: Uint8Array): Promise<DecodedImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  const { width, height } = bitmap;
  try {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2d context on an OffscreenCanvas');
    ctx.drawImage(bitmap, 0, 0);
    return { data: rgbaToRgb(ctx.getImageData(0, 0, width, height).data), width, height };
  } finally {
    bitmap.close();
  }
}

/** RGBA bytes to RGB, alpha dropped. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p];
    rgb[q + 1] = rgba[p + 1];
    rgb[q + 2] = rgba[p + 2];
  }
  return rgb;
}
