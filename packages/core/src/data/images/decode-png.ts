import { decode as decodePngRaw } from 'fast-png';
import { GraftError } from '../../errors/graft-error';
import type { DecodedImage } from './types';

interface RawPng {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray | Uint16Array;
  depth: number;
  channels: number;
  palette?: number[][];
}

function invalid(message: string, extra?: Record<string, unknown>): GraftError {
  return new GraftError('INVALID_IMAGE', message, { format: 'png', ...extra });
}

/**
 * Unpacks one sample per pixel-channel to a plain array of integers. PNG packs 1/2/4-bit samples
 * into bytes with each row padded to a whole byte; 16-bit samples arrive as a Uint16Array.
 */
function unpackSamples(png: RawPng): ArrayLike<number> {
  const { width, height, channels, depth, data } = png;
  if (depth >= 8) return data;
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  if (data.length < rowBytes * height) {
    throw invalid(`expected ${rowBytes * height} bytes of ${depth}-bit pixel data, got ${data.length}`);
  }
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      out[y * perRow + i] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function paletteToRgb(png: RawPng, indices: ArrayLike<number>): Uint8Array {
  const palette = png.palette ?? [];
  const n = png.width * png.height;
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const color = palette[indices[p]];
    if (!color) {
      throw invalid(`expected palette indices below ${palette.length}, got index ${indices[p]} at pixel ${p}`);
    }
    out[p * 3] = color[0];
    out[p * 3 + 1] = color[1];
    out[p * 3 + 2] = color[2];
  }
  return out;
}

/** Grey / grey+alpha / RGB / RGBA samples of any bit depth to 8-bit RGB; alpha is dropped (like PIL's convert('RGB')). */
function samplesToRgb(png: RawPng, samples: ArrayLike<number>): Uint8Array {
  const { width, height, channels, depth } = png;
  const n = width * height;
  const maxValue = (1 << depth) - 1;
  // 8-bit passes through; other depths scale to 0..255 with rounding (16-bit: v / 257).
  const scale = (v: number) => (depth === 8 ? v : Math.round((v * 255) / maxValue));
  const out = new Uint8Array(n * 3);
  const grey = channels <= 2;
  for (let p = 0; p < n; p++) {
    const s = p * channels;
    if (grey) {
      const g = scale(samples[s]);
      out[p * 3] = g;
      out[p * 3 + 1] = g;
      out[p * 3 + 2] = g;
    } else {
      out[p * 3] = scale(samples[s]);
      out[p * 3 + 1] = scale(samples[s + 1]);
      out[p * 3 + 2] = scale(samples[s + 2]);
    }
  }
  return out;
}

/** Decodes any standard PNG (palette, grey, grey+alpha, RGB, RGBA; 1..16 bit; interlaced) to 8-bit RGB. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  let png: RawPng;
  try {
    png = decodePngRaw(bytes, { checkCrc: true }) as RawPng;
  } catch (e) {
    throw invalid(
      `expected a complete PNG image, but decoding ${bytes.length} bytes failed: ${(e as Error).message} (is the file truncated or corrupt?)`,
      { cause: (e as Error).message },
    );
  }
  const { width, height, channels } = png;
  if (!(width > 0 && height > 0)) throw invalid(`expected a PNG with a positive size, got ${width}x${height}`);
  if (![1, 2, 3, 4].includes(channels)) throw invalid(`expected 1 to 4 channels, got ${channels}`);
  const samples = unpackSamples(png);
  const expected = width * height * channels;
  if (samples.length < expected) {
    throw invalid(`expected ${expected} samples for ${width}x${height}x${channels}, got ${samples.length}`);
  }
  const data = png.palette && channels === 1 ? paletteToRgb(png, samples) : samplesToRgb(png, samples);
  return { data, width, height };
}
