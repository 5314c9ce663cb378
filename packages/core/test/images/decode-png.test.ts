import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/data/images';
import { encodePng, gradientRgb, packBits } from './fixtures';

describe('decodeImage: PNG', () => {
  it('round-trips an 8-bit RGB image exactly, with the right size', () => {
    const rgb = gradientRgb(7, 5, 30);
    const img = decodeImage(encodePng(7, 5, rgb));
    expect(img.width).toBe(7);
    expect(img.height).toBe(5);
    expect(Array.from(img.data)).toEqual(Array.from(rgb));
  });

  it('reads Adam7-interlaced PNGs', () => {
    const rgb = gradientRgb(9, 11, 20);
    const img = decodeImage(encodePng(9, 11, rgb, { interlace: 'Adam7' }));
    expect([img.width, img.height]).toEqual([9, 11]);
    expect(Array.from(img.data)).toEqual(Array.from(rgb));
  });

  it('drops alpha from RGBA', () => {
    const rgba = new Uint8Array([10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255]);
    const img = decodeImage(encodePng(3, 1, rgba, { channels: 4 }));
    expect(Array.from(img.data)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('expands 8-bit grey and grey+alpha to RGB', () => {
    const grey = decodeImage(encodePng(2, 2, new Uint8Array([0, 100, 200, 255]), { channels: 1 }));
    expect(Array.from(grey.data)).toEqual([0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
    const ga = decodeImage(encodePng(2, 1, new Uint8Array([7, 0, 250, 255]), { channels: 2 }));
    expect(Array.from(ga.data)).toEqual([7, 7, 7, 250, 250, 250]);
  });

  it('scales 16-bit RGB and grey to 8 bit (v / 257, rounded)', () => {
    // 0 -> 0, 65535 -> 255, 257*100 -> 100, 257*100+128 -> round(100.498) = 100, 257*100+129 -> 101
    const rgb16 = new Uint16Array([0, 65535, 25700, 25828, 25829, 32896]);
    const img = decodeImage(encodePng(2, 1, rgb16, { depth: 16 }));
    expect(Array.from(img.data)).toEqual([0, 255, 100, 100, 101, 128]);
    const grey16 = decodeImage(encodePng(2, 1, new Uint16Array([65535, 257 * 3]), { depth: 16, channels: 1 }));
    expect(Array.from(grey16.data)).toEqual([255, 255, 255, 3, 3, 3]);
  });

  it('unpacks 1-bit and 4-bit grey with rows padded to whole bytes', () => {
    // 3 pixels wide: 1-bit rows use 3 bits of one byte, 4-bit rows use 1.5 bytes.
    const bits = [1, 0, 1, 0, 1, 1];
    const one = decodeImage(encodePng(3, 2, packBits(bits, 3, 2, 1), { channels: 1, depth: 1 }));
    expect(Array.from(one.data)).toEqual(bits.flatMap((b) => [b * 255, b * 255, b * 255]));
    const nibbles = [0, 5, 15, 1, 10, 3];
    const four = decodeImage(encodePng(3, 2, packBits(nibbles, 3, 2, 4), { channels: 1, depth: 4 }));
    expect(Array.from(four.data)).toEqual(nibbles.flatMap((v) => [v * 17, v * 17, v * 17]));
  });

  it('maps 8-bit and 2-bit palette PNGs through the palette (transparency ignored)', () => {
    const palette = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [12, 34, 56],
    ];
    const idx = [3, 0, 1, 2, 2, 1];
    const eight = decodeImage(encodePng(3, 2, new Uint8Array(idx), { channels: 1, palette }));
    expect(Array.from(eight.data)).toEqual(idx.flatMap((i) => palette[i]));
    const two = decodeImage(encodePng(3, 2, packBits(idx, 3, 2, 2), { channels: 1, depth: 2, palette }));
    expect(Array.from(two.data)).toEqual(idx.flatMap((i) => palette[i]));
    const withAlpha = palette.map((c, i) => [...c, i * 60]);
    const trns = decodeImage(encodePng(3, 2, new Uint8Array(idx), { channels: 1, palette: withAlpha }));
    expect(Array.from(trns.data)).toEqual(idx.flatMap((i) => palette[i]));
  });

  it('accepts an ArrayBuffer as well as a Uint8Array', () => {
    const bytes = encodePng(2, 1, new Uint8Array([1, 2, 3, 4, 5, 6]));
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expect(Array.from(decodeImage(ab).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
