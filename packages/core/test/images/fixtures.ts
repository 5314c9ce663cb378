// Shared helpers for the image tests: generated images (no assets needed) and asset locations.
import '@tensorflow/tfjs-backend-cpu';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { encode as encodePngRaw } from 'fast-png';
import jpeg from 'jpeg-js';
import { expect } from 'vitest';
import { GraftError, type GraftErrorCode } from '../../src/errors/graft-error';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
export const ASSETS = path.resolve(repoRoot, '../shared/assets');
export const PHOTOS = path.join(ASSETS, 'photos');
export const FLOWERS = path.join(ASSETS, 'flowers');
export const hasPhotos = existsSync(PHOTOS);
export const hasFlowers = existsSync(FLOWERS);

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A w x h RGB image where every pixel differs: r = x, g = y, b = x + 2y (mod 256), scaled by `step`. */
export function gradientRgb(width: number, height: number, step = 1): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      out[i] = (x * step) & 255;
      out[i + 1] = (y * step) & 255;
      out[i + 2] = (x * step + 2 * y * step) & 255;
    }
  }
  return out;
}

/** Smooth image that JPEG keeps well (for tolerance checks). */
export function smoothRgb(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      out[i] = Math.round((255 * x) / (width - 1));
      out[i + 1] = Math.round((255 * y) / (height - 1));
      out[i + 2] = 128;
    }
  }
  return out;
}

export function encodePng(
  width: number,
  height: number,
  data: Uint8Array | Uint16Array,
  opts: { channels?: number; depth?: 1 | 2 | 4 | 8 | 16; palette?: number[][]; interlace?: 'Adam7' } = {},
): Uint8Array {
  return encodePngRaw(
    { width, height, data, channels: opts.channels ?? 3, depth: opts.depth ?? 8, palette: opts.palette },
    opts.interlace ? { interlace: opts.interlace } : undefined,
  );
}

/** Encodes RGB pixels as a JPEG (jpeg-js wants RGBA input). */
export function encodeJpeg(width: number, height: number, rgb: Uint8Array, quality = 95): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rgb[i * 3];
    rgba[i * 4 + 1] = rgb[i * 3 + 1];
    rgba[i * 4 + 2] = rgb[i * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  const out = jpeg.encode({ width, height, data: rgba }, quality).data;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Packs sub-byte samples (1/2/4 bit) MSB first, each row padded to a whole byte, as PNG stores them. */
export function packBits(samples: number[], width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * rowBytes + (bit >> 3)] |= samples[y * width + x] << (8 - depth - (bit & 7));
    }
  }
  return out;
}

/** Asserts that `fn` throws (or rejects with) a GraftError with `code`; returns it for further checks. */
export async function expectGraftError(fn: () => unknown, code: GraftErrorCode): Promise<GraftError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a GraftError ${code}, nothing was thrown`).toBeInstanceOf(GraftError);
  expect((caught as GraftError).code).toBe(code);
  return caught as GraftError;
}
