import { describe, GraftError } from '../../errors/graft-error';

/** Keras' factor argument: one number or a [lower, upper] pair. */
export type Factor = number | [number, number];
export type Range = [number, number];

export interface Bounds {
  /** Smallest allowed value (inclusive unless `above`). */
  min?: number;
  max?: number;
  /** `min` itself is refused (zoom: a factor of -1 would scale to nothing). */
  above?: boolean;
}

/**
 * A factor as the range its value is drawn from, checked as Keras checks it: one number `f` is [-f, f]
 * (`symmetric`) or [f, f]; a pair is [lower, upper] with lower <= upper; every value inside `bounds`.
 */
export function factorRange(v: unknown, what: string, bounds: Bounds = {}, symmetric = true): Range {
  const pair = Array.isArray(v) && v.length === 2 ? v : null;
  const nums = pair ?? [v];
  if (!nums.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new GraftError('INVALID_LAYER', `expected ${what} as a number or [lower, upper], got ${describe(v)}`);
  const f = v as number;
  const range: Range = pair ? [pair[0], pair[1]] : symmetric ? [-Math.abs(f), Math.abs(f)] : [f, f];
  if (range[0] > range[1])
    throw new GraftError('INVALID_LAYER', `expected ${what} as [lower, upper] with lower <= upper, got ${describe(v)}`);
  const { min = -Infinity, max = Infinity, above = false } = bounds;
  const low = above ? range[0] <= min : range[0] < min;
  if (low || range[1] > max)
    throw new GraftError(
      'INVALID_LAYER',
      `expected ${what} within ${above ? '(' : '['}${min}, ${max}], got ${describe(v)}`,
    );
  return range;
}

/** A value drawn uniformly from `range` by `next` (a number in [0, 1)). */
export function draw(range: Range, next: () => number): number {
  return range[0] + (range[1] - range[0]) * next();
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string, fallback: T): T {
  if (v === undefined) return fallback;
  if (!(allowed as readonly unknown[]).includes(v))
    throw new GraftError('INVALID_LAYER', `expected ${what} among ${allowed.join(', ')}, got ${describe(v)}`);
  return v as T;
}

/** Keras' `value_range`: [low, high] with low < high. */
export function valueRange(v: unknown, what: string): Range {
  if (v === undefined) return [0, 255];
  if (!(Array.isArray(v) && v.length === 2 && v.every((x) => Number.isFinite(x)) && v[0] < v[1]))
    throw new GraftError(
      'INVALID_LAYER',
      `expected ${what} valueRange as [low, high] with low < high, got ${describe(v)}`,
    );
  return [v[0], v[1]];
}

export function seedOf(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v))
    throw new GraftError('INVALID_LAYER', `expected ${what} seed as an integer, got ${describe(v)}`);
  return v as number;
}
