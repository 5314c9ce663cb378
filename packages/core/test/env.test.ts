import { env, isGraftError } from '@graftjs/core';
import { errorCodes, log, registerErrorCodes } from '@graftjs/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';

// What an adapter does to give its settings a type: `env.backends.<name>` by declaration merging.
declare module '@graftjs/core' {
  interface BackendSettings {
    testAdapter?: { threads: number };
  }
  interface AdapterErrorCodes {
    TESTFMT_BROKEN: true;
  }
}

describe('env', () => {
  afterEach(() => {
    env.logLevel = 'warn';
    vi.restoreAllMocks();
  });

  it('detects Node here, once, in env.runtime', () => {
    expect(env.runtime).toEqual({ isNode: true, isBrowser: false, isWebWorker: false, crossOriginIsolated: true });
  });

  it('holds per-adapter settings typed by the adapter', () => {
    env.backends.testAdapter = { threads: 2 };
    expect(env.backends.testAdapter.threads).toBe(2);
    // @ts-expect-error: the augmentation types the setting, so a string is refused at compile time
    env.backends.testAdapter = { threads: 'two' };
    delete env.backends.testAdapter;
  });

  it('log prints what env.logLevel admits, prefixed, and nothing when silent', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    log.warn('fell back to one thread', { why: 'no SharedArrayBuffer' });
    log.info('chose cpu');
    expect(warn).toHaveBeenCalledWith('[graft] fell back to one thread', { why: 'no SharedArrayBuffer' });
    expect(info).not.toHaveBeenCalled();
    env.logLevel = 'info';
    log.info('chose cpu');
    expect(info).toHaveBeenCalledWith('[graft] chose cpu');
    env.logLevel = 'silent';
    log.error('boom');
    log.warn('again');
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("adapters add their own error codes; core's list names none of them", () => {
    expect(errorCodes()).not.toContain('TESTFMT_BROKEN');
    registerErrorCodes(['TESTFMT_BROKEN']);
    expect(errorCodes()).toContain('TESTFMT_BROKEN');
    const before = errorCodes();
    let caught: unknown;
    try {
      registerErrorCodes(['TESTFMT_OK' as 'TESTFMT_BROKEN', 'bad code' as 'TESTFMT_BROKEN']);
    } catch (e) {
      caught = e;
    }
    expect(isGraftError(caught, 'INVALID_OPTION')).toBe(true);
    expect((caught as Error).message).toMatch(/expected error codes in UPPER_SNAKE_CASE, got "bad code"/);
    expect(errorCodes()).toEqual(before);
  });
});
