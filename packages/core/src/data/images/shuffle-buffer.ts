import { describe, GraftError } from '../../errors/graft-error';
import { createRng } from '../rng';

/**
 * tf.data's `shuffle(buffer_size, seed)`: fill a buffer of `buffer` items, then for each item that arrives emit a
 * uniformly drawn one from the buffer and put the new one in its place; at the end drain the buffer in random
 * order. Memory holds `buffer` items (encoded or references, not decoded pixels); `buffer` at least the number of
 * items gives a full permutation, 1 the original order. Seeded: the same seed gives the same order.
 */
export async function* shuffleBuffer<T>(items: AsyncIterable<T>, buffer: number, seed?: number): AsyncGenerator<T> {
  const rng = createRng(seed);
  const held: T[] = [];
  for await (const item of items) {
    if (held.length < buffer) {
      held.push(item);
      continue;
    }
    const j = rng.int(buffer);
    yield held[j];
    held[j] = item;
  }
  while (held.length > 0) {
    const j = rng.int(held.length);
    yield held[j];
    held[j] = held[held.length - 1];
    held.pop();
  }
}

/** A shuffle buffer size: a positive integer, required (tf.data has no default either). */
export function checkBuffer(buffer: unknown): number {
  if (Number.isSafeInteger(buffer) && (buffer as number) > 0) return buffer as number;
  throw new GraftError(
    'INVALID_OPTION',
    `expected shuffle(seed, { buffer }) with buffer a positive integer (items held to draw from; tf.data's buffer_size), got ${describe(buffer)}; an iterable has no listing to permute`,
    { option: 'buffer' },
  );
}
