import { readdirSync } from 'node:fs';
import { createRng } from '@graftjs/core';
import { ASSETS } from './assets';

export const FLOWER_CLASSES = ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips'];

/** Each class's photo paths in a seeded order (one random stream for all classes, in class order). */
export function seededFlowerPaths(seed: number): string[][] {
  const rng = createRng(seed);
  return FLOWER_CLASSES.map((name) => {
    const files = readdirSync(`${ASSETS}/flowers/${name}`)
      .filter((f) => f.endsWith('.jpg'))
      .sort();
    for (let i = files.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [files[i], files[j]] = [files[j], files[i]];
    }
    return files.map((f) => `${ASSETS}/flowers/${name}/${f}`);
  });
}
