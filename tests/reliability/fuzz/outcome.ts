import { isGraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';

/** What one fuzz case may end in: success, or a GraftError code. Anything else is a failure of graft. */
export type FuzzOutcome = 'ok' | string;

/** Prototype state a hostile file must never change. */
function prototypeFingerprint(): string {
  return [Object.prototype, Array.prototype, Function.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');
}

const CLEAN = prototypeFingerprint();

/** Throws with a description when the prototypes carry anything a payload could have put there. */
export function assertNotPolluted(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'pwned']) {
    if (probe[key] !== undefined) throw new Error(`Object.prototype polluted: ({}).${key} = ${String(probe[key])}`);
  }
  if (prototypeFingerprint() !== CLEAN) throw new Error('a built-in prototype gained or lost properties');
}

const HANG_MS = 10_000;

/**
 * Runs one case: resolves to 'ok' or the GraftError code; throws on any other error, a hang (10 s), prototype
 * pollution, or live tensors left behind. `cleanup` frees what a successful call returned.
 */
export async function runCase<T>(call: () => Promise<T>, cleanup: (value: T) => unknown): Promise<FuzzOutcome> {
  const tensors = tf.memory().numTensors;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung for more than ${HANG_MS} ms`)), HANG_MS);
  });
  let result: FuzzOutcome;
  try {
    const value = await Promise.race([call(), hang]);
    await cleanup(value);
    result = 'ok';
  } catch (e) {
    if (!isGraftError(e)) {
      throw new Error(`not a GraftError: ${(e as Error)?.name}: ${String((e as Error)?.message ?? e).slice(0, 300)}`);
    } else result = e.code;
  } finally {
    clearTimeout(timer);
  }
  assertNotPolluted();
  const left = tf.memory().numTensors - tensors;
  if (left !== 0) throw new Error(`${left} tensor(s) left alive after a ${result} outcome`);
  return result;
}

/** Counts outcomes by kind, for the logs. */
export class Tally {
  readonly counts = new Map<string, number>();
  add(o: FuzzOutcome): void {
    this.counts.set(o, (this.counts.get(o) ?? 0) + 1);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  toString(): string {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  }
}
