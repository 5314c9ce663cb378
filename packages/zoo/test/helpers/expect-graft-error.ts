import type { GraftErrorCode } from '@graftjs/core';
import { isGraftError } from '@graftjs/core';
import { expect } from 'vitest';

/** Awaits `p` and checks it rejects with a GraftError of `code` whose message matches every pattern. */
export async function expectGraftError(p: Promise<unknown>, code: GraftErrorCode, ...patterns: RegExp[]) {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a GraftError ${code}`).toBeDefined();
  if (!isGraftError(caught)) throw caught;
  expect(caught.code).toBe(code);
  for (const re of patterns) expect(caught.message).toMatch(re);
  return caught;
}
