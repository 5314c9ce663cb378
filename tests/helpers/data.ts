import { createRng } from '@graftjs/core';

/** Three well-separated classes in 4-D, seeded: any working classifier gets them right. */
export function blobs(n: number, seed = 7): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const centres = [
    [2, 0, 0, 1],
    [-2, 1, 0, -1],
    [0, -2, 2, 0],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push(centres[c].map((v) => v + (rng.next() - 0.5) * 1.2));
    y.push(c);
  }
  return { x, y };
}

/** Tiny 8x8 single-channel images: class 0 bright left half, class 1 bright right half. */
export function halves(n: number, seed = 3): { x: number[][][][]; y: number[] } {
  const rng = createRng(seed);
  const x: number[][][][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const img: number[][][] = [];
    for (let r = 0; r < 8; r++) {
      const row: number[][] = [];
      for (let col = 0; col < 8; col++) row.push([(col < 4 === (c === 0) ? 0.8 : 0.1) + rng.next() * 0.2]);
      img.push(row);
    }
    x.push(img);
    y.push(c);
  }
  return { x, y };
}

export async function weightsOf(net: { weights: { read(): { data(): Promise<unknown> } }[] }): Promise<number[][]> {
  return Promise.all(net.weights.map(async (w) => Array.from((await w.read().data()) as Float32Array)));
}
