import { createRng, permutation } from './rng';

/**
 * Row indices of a seeded split, [kept, heldOut], with `fraction` of the rows held out. With `classes` (one class
 * index per row) each class is split on its own, in class order, so a Dataset and a stream of the same labels and
 * seed split into the same rows.
 */
export function splitRows(
  size: number,
  fraction: number,
  seed: number | undefined,
  classes: ArrayLike<number> | null,
): [number[], number[]] {
  const rng = createRng(seed);
  if (!classes) {
    const order = Array.from(permutation(size, rng));
    const nTest = Math.round(size * fraction);
    return [order.slice(0, size - nTest), order.slice(size - nTest)];
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < size; i++) {
    const c = classes[i];
    const g = groups.get(c);
    if (g) g.push(i);
    else groups.set(c, [i]);
  }
  const kept: number[] = [];
  const held: number[] = [];
  for (const c of [...groups.keys()].sort((p, q) => p - q)) {
    const members = groups.get(c) as number[];
    const order = permutation(members.length, rng);
    const nTest = Math.round(members.length * fraction);
    for (let i = 0; i < members.length; i++) (i < members.length - nTest ? kept : held).push(members[order[i]]);
  }
  return [kept, held];
}
