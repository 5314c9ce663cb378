import { backends, env, isGraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { configureWasm } from '../src';
import { bounded } from '../src/bounded';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('bounded init', () => {
  it('rejects a start that never settles, naming the setting', async () => {
    const e = await rejection(bounded(new Promise(() => undefined), 5, 'loading the wasm module'));
    expect(e.message).toMatch(
      /loading the wasm module did not finish within 5 ms \(env\.backends\.wasm\.initTimeoutMs\)/,
    );
  });

  it('rejects as soon as the abort signal gives a reason (a worker that cannot start)', async () => {
    const e = await rejection(
      bounded(
        new Promise(() => undefined),
        60_000,
        'loading the threaded wasm module',
        Promise.resolve('e is not defined'),
      ),
    );
    expect(e.message).toBe('loading the threaded wasm module failed: e is not defined');
  });

  it('passes a result through', async () => {
    expect(await bounded(Promise.resolve(42), 60_000, 'x')).toBe(42);
  });
});

describe('wasm settings', () => {
  it('configureWasm refuses a map with an unknown file name and changes nothing', () => {
    const before = env.backends.wasm.paths;
    let caught: unknown;
    try {
      configureWasm({ 'tfjs-backend-wasm.wasm': '/a.wasm', 'other.wasm': '/b.wasm' } as never);
    } catch (e) {
      caught = e;
    }
    expect(isGraftError(caught, 'INVALID_OPTION')).toBe(true);
    expect((caught as Error).message).toMatch(/keys among tfjs-backend-wasm\.wasm.*got "other\.wasm"/);
    expect(env.backends.wasm.paths).toBe(before);
  });

  it('configureWasm is env.backends.wasm.paths', () => {
    configureWasm('https://cdn.example/wasm/');
    expect(env.backends.wasm.paths).toBe('https://cdn.example/wasm/');
    configureWasm(undefined);
    expect(env.backends.wasm.paths).toBeUndefined();
  });

  it('a bad thread count fails the init with the setting named, and tfjs stays on cpu', async () => {
    await backends.use('cpu');
    env.backends.wasm.threads = 0;
    const e = await rejection(backends.use('wasm'));
    env.backends.wasm.threads = 'auto';
    expect(isGraftError(e, 'BACKEND_INIT_FAILED')).toBe(true);
    expect(e.message).toMatch(/env\.backends\.wasm\.threads expects 'auto' or a positive integer, got 0/);
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()))).toEqual([3]);
  });
});
