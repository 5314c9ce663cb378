import type { Model } from '@graftjs/core';
import { expect } from 'vitest';
import { outcome, tinyClassifier } from './fixtures';

/** What every lifecycle case gets: the backend under test, labelled blobs and a temp folder. */
export interface LifecycleContext {
  backend: string;
  /** Another backend that trains here, for switches. */
  other: string;
  x: number[][];
  y: number[];
  dir: string;
}

export interface LifecycleCase {
  area: 'ownership' | 'fit in progress' | 'backend switch' | 'state after errors' | 'checkpoint' | 'worker';
  name: string;
  run(ctx: LifecycleContext): Promise<void>;
  /** Backends where the case does not apply (skipped visibly, with the reason next to it). */
  skipOn?: string[];
}

export const FIT = { epochs: 2, batchSize: 8, seed: 1 } as const;

/** A trained tiny classifier; the caller disposes it. */
export async function trained(ctx: LifecycleContext, seed = 1): Promise<Model> {
  const m = tinyClassifier(seed);
  await m.fit(ctx.x, ctx.y, FIT);
  return m;
}

/** Images for the small 8x8 base: two classes, bright or dark. */
export function images(n: number): { x: number[][][][]; y: number[] } {
  const x = Array.from({ length: n }, (_, i) =>
    Array.from({ length: 8 }, (_, r) =>
      Array.from({ length: 8 }, (_, c) => [0, 1, 2].map((k) => (i % 2) * 0.8 + ((r + c + k) % 3) * 0.05)),
    ),
  );
  return { x, y: x.map((_, i) => i % 2) };
}

export async function expectCode(fn: () => unknown, code: string): Promise<void> {
  expect(await outcome(fn)).toBe(code);
}
