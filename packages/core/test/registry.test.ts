import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BackendEntry, backends, isGraftError, sequential } from '@graftjs/core';
import { type ExportSource, exportFormatForPath, getExporter, getRuntime } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seen: ExportSource[] = [];
const MAGIC = new Uint8Array([7, 7, 7]);

/** An adapter outside tfjs: inference only, its own runtime (outputs 0.25 everywhere) and one export format. */
const outside: BackendEntry = {
  priority: -50,
  capabilities: { train: false, inference: true, float32: true, hostMemory: 'device' },
  isAvailable: () => true,
  init: async () => undefined,
  tfjsBackend: null,
  runtime: {
    prepare: async (source) => {
      seen.push(source);
      return { run: async (batch) => tf.fill([batch.shape[0], 2], 0.25), dispose: () => undefined };
    },
  },
  exports: { testfmt: { extensions: ['.tfmt'], run: async () => MAGIC } },
  describe: () => 'a test runtime',
};

async function rejection(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('one registry: each entry holds its capabilities, runtime and export formats', () => {
  let work: string;
  beforeAll(async () => {
    await backends.use('cpu');
    backends.register('test-outside', outside);
    work = mkdtempSync(path.join(tmpdir(), 'graft-registry-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('list() shows each entry with its capabilities, export formats and reason', async () => {
    const listed = (await backends.list()).find((b) => b.name === 'test-outside');
    expect(listed).toEqual({
      name: 'test-outside',
      priority: -50,
      capabilities: outside.capabilities,
      exports: [{ format: 'testfmt', extensions: ['.tfmt'] }],
      available: true,
      reason: 'a test runtime',
      active: false,
    });
    expect((await backends.list()).find((b) => b.name === 'cpu')?.exports).toEqual([]);
  });

  it('finds the exporter by format and by a path with its extension, in any case', () => {
    expect(getExporter('testfmt')).toBe(outside.exports?.testfmt.run);
    expect(exportFormatForPath('/tmp/Model.TFMT')).toBe('testfmt');
    expect(exportFormatForPath('/tmp/model')).toBeUndefined();
    const e = (() => {
      try {
        return getExporter('nope');
      } catch (err) {
        return err;
      }
    })();
    expect(isGraftError(e, 'UNKNOWN_EXPORT_FORMAT')).toBe(true);
    expect((e as Error).message).toMatch(/testfmt/);
  });

  it('predict({ backend }) runs on the entry runtime; save() to a claimed extension writes the export', async () => {
    const model = sequential({ inputShape: [3] }).dense(2, { activation: 'softmax' });
    await model.fit([[0, 0, 1]], [1], { epochs: 1 });
    const before = tf.memory().numTensors;
    const input = tf.tensor2d([[1, 2, 3]]);
    const out = await model.predictTensor(input, { backend: 'test-outside' });
    expect(Array.from(await out.data())).toEqual([0.25, 0.25]);
    input.dispose();
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.at(-1)?.net).toBe(model.net);
    const target = path.join(work, 'model.tfmt');
    await model.save(target);
    expect(new Uint8Array(readFileSync(target))).toEqual(MAGIC);
    await model.dispose();
  });

  it('an entry without inference has no runtime to predict with', () => {
    backends.register('test-train-only', {
      ...outside,
      capabilities: { ...outside.capabilities, inference: false },
      runtime: undefined,
      exports: undefined,
    });
    expect(getRuntime('test-train-only')).toBeUndefined();
    expect(getRuntime('test-outside')).toBe(outside.runtime);
  });

  it("use('auto') skips a training backend without float32 kernels, saying why", async () => {
    backends.register('test-half', {
      priority: 1000,
      capabilities: { train: true, inference: true, float32: false, hostMemory: 'shared' },
      isAvailable: () => true,
      init: async () => {
        throw new Error('auto must not init this');
      },
    });
    const choice = await backends.use('auto');
    expect(choice.name).not.toBe('test-half');
    expect(choice.skipped[0]).toEqual({ name: 'test-half', reason: 'has no float32 kernels, which training needs' });
    await backends.use('cpu');
  });

  it('refuses a bad entry whole, keeping the one registered before', async () => {
    const cases: [string, BackendEntry][] = [
      ['a runtime without inference', { ...outside, capabilities: { ...outside.capabilities, inference: false } }],
      ['a claimed extension', { ...outside, exports: { other: { extensions: ['.tfmt'], run: async () => MAGIC } } }],
      ['a claimed format', { ...outside, exports: { testfmt: { extensions: ['.x'], run: async () => MAGIC } } }],
      ['an extension without a dot', { ...outside, exports: { y: { extensions: ['y'], run: async () => MAGIC } } }],
      ['a bad hostMemory', { ...outside, capabilities: { ...outside.capabilities, hostMemory: 'gpu' as never } }],
      ['a missing flag', { ...outside, capabilities: { train: false, hostMemory: 'device' } as never }],
    ];
    for (const [what, entry] of cases) {
      const e = await rejection(() => backends.register('test-other', entry));
      expect(isGraftError(e, 'INVALID_OPTION'), what).toBe(true);
      expect((e as Error).message, what).toMatch(/backends\.register\("test-other"\) expects .+, got /);
      expect(backends.get('test-other'), what).toBeUndefined();
    }
    // the same adapter re-registering (a reload) keeps its own format and extension
    expect(() => backends.register('test-outside', outside)).not.toThrow();
    expect(getExporter('testfmt')).toBe(outside.exports?.testfmt.run);
  });
});
