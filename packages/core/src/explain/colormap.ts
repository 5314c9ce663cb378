import { describe, GraftError } from '../errors/graft-error';

/** How `rgba()` draws a heatmap: colours from the jet map, alpha growing with the heat. */
export interface RgbaOptions {
  /** Alpha of the hottest pixels, 0..1 (default 0.6); a pixel of heat v gets `opacity * v`, so cold ones vanish. */
  opacity?: number;
}

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

/** The jet colour of v in [0, 1] (blue, cyan, yellow, red), as [r, g, b] in 0..1 (Matplotlib's 'jet' shape). */
export function jet(v: number): [number, number, number] {
  const x = clamp01(v) * 4;
  return [clamp01(1.5 - Math.abs(x - 3)), clamp01(1.5 - Math.abs(x - 2)), clamp01(1.5 - Math.abs(x - 1))];
}

/**
 * RGBA pixels (row-major, 4 bytes a pixel, `ImageData`'s layout) of a heatmap in [0, 1]: draw them over the image
 * (`ctx.putImageData(new ImageData(rgba, width, height), 0, 0)` on a canvas above it, or `drawImage` to scale).
 */
export function heatmapRgba(heat: Float32Array, options: RgbaOptions = {}): Uint8ClampedArray<ArrayBuffer> {
  if (typeof options !== 'object' || options === null)
    throw new GraftError('INVALID_OPTION', `expected rgba options as an object, got ${describe(options)}`);
  const opacity = options.opacity ?? 0.6;
  if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1))
    throw new GraftError('INVALID_OPTION', `expected opacity as a number in [0, 1], got ${describe(opacity)}`);
  const out = new Uint8ClampedArray(heat.length * 4);
  for (let i = 0; i < heat.length; i++) {
    const v = clamp01(heat[i]);
    const [r, g, b] = jet(v);
    out[i * 4] = Math.round(r * 255);
    out[i * 4 + 1] = Math.round(g * 255);
    out[i * 4 + 2] = Math.round(b * 255);
    out[i * 4 + 3] = Math.round(opacity * v * 255);
  }
  return out;
}
