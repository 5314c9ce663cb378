import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/data/images';
import { encodeJpeg, smoothRgb } from './fixtures';

describe('decodeImage: JPEG', () => {
  it('decodes a generated JPEG to RGB with the right size, within JPEG tolerance', () => {
    const w = 40;
    const h = 24;
    const rgb = smoothRgb(w, h);
    const img = decodeImage(encodeJpeg(w, h, rgb, 95));
    expect([img.width, img.height]).toEqual([w, h]);
    expect(img.data.length).toBe(w * h * 3);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < rgb.length; i++) {
      const d = Math.abs(img.data[i] - rgb[i]);
      sum += d;
      max = Math.max(max, d);
    }
    // Lossy, but a smooth image at quality 95 stays close; a channel swap or offset would blow these.
    expect(sum / rgb.length).toBeLessThan(2);
    expect(max).toBeLessThan(16);
    // Corners keep their colour: top-left dark red/green, bottom-right full red+green, blue ~128.
    const last = (w * h - 1) * 3;
    expect(img.data[0]).toBeLessThan(12);
    expect(img.data[last]).toBeGreaterThan(243);
    expect(img.data[last + 1]).toBeGreaterThan(243);
    expect(Math.abs(img.data[last + 2] - 128)).toBeLessThan(8);
  });

  it('decodes a solid colour almost exactly', () => {
    const rgb = new Uint8Array(16 * 16 * 3);
    for (let i = 0; i < 256; i++) rgb.set([200, 30, 90], i * 3);
    const img = decodeImage(encodeJpeg(16, 16, rgb, 100));
    for (let i = 0; i < 256; i++) {
      expect(Math.abs(img.data[i * 3] - 200)).toBeLessThanOrEqual(2);
      expect(Math.abs(img.data[i * 3 + 1] - 30)).toBeLessThanOrEqual(2);
      expect(Math.abs(img.data[i * 3 + 2] - 90)).toBeLessThanOrEqual(2);
    }
  });
});
