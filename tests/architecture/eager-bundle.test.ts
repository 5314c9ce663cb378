import { describe, expect, it } from 'vitest';
import { splitSize } from '../../bench/bundle-graph';
import { lazy } from '../../packages/core/src/lazy';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXTERNAL = ['@tensorflow/*', 'node:*', 'onnxruntime-web', 'onnxruntime-web/*', 'webgpu'];

/** Code an app needs only once it trains, evaluates, predicts, loads data or files: never in core's eager part. */
const LAZY = [
  'node_modules/jpeg-js/lib/decoder.js',
  'node_modules/fast-png/lib/png_decoder.js',
  'packages/core/src/data/images/decode-image.ts',
  'packages/core/src/model/fit-run.ts',
  'packages/core/src/model/evaluate-run.ts',
  'packages/core/src/model/predict-run.ts',
  'packages/core/src/training/loop.ts',
  'packages/core/src/solvers/lbfgs.ts',
  'packages/core/src/io/checkpoint.ts',
  'packages/core/src/io/save-load.ts',
  'packages/core/src/data/image-dataset.ts',
  'packages/core/src/data/text-dataset.ts',
  'packages/core/src/transfer/stream-features.ts',
  'packages/core/src/model/train-on-batch.ts',
  'packages/core/src/explain/explain.ts',
  'packages/core/src/explain/grad-cam.ts',
  'packages/core/src/transfer/store/feature-store.ts',
  'packages/core/src/transfer/store/node-spill.ts',
  'packages/core/src/transfer/store/idb-spill.ts',
  'packages/core/src/transfer/resumable-pass.ts',
  'packages/core/src/transfer/base-fingerprint.ts',
  'packages/core/src/transfer/iterable-features.ts',
  'packages/core/src/transfer/shards/feature-shards.ts',
  'packages/core/src/transfer/shards/shard-format.ts',
  'packages/core/src/transfer/shards/write-shard.ts',
  'packages/core/src/data/images/image-iterable.ts',
  'packages/core/src/data/images/image-stream.ts',
  'packages/core/src/data/images/browser-decode-pool.ts',
  'packages/core/src/data/images/bytes-source.ts',
  'packages/core/src/data/images/read-image-url.ts',
  // backend switching and listing, and the cpu backend's own filter-gradient kernel: with the first use/ensure/list
  'packages/core/src/backends/backend-switch.ts',
  'packages/core/src/backends/cpu-kernels/conv2d-backprop-filter.ts',
  // fit's option checks, the frozen-stem stage's computations, the schedules' hooks: with the first fit
  'packages/core/src/model/fit-options.ts',
  'packages/core/src/io/checkpoint-options.ts',
  'packages/core/src/model/class-weight-option.ts',
  'packages/core/src/transfer/stem-stage-work.ts',
  'packages/core/src/training/schedule-steps.ts',
];

describe("core's eager bundle (what an app downloads before any lazy chunk)", () => {
  it('holds none of the lazily loaded modules, which the lazy chunks do hold', async () => {
    const split = await splitSize(ROOT, 'packages/core/src/index.ts', EXTERNAL);
    const eager = new Set(split.eagerModules.map(([m]) => m));
    expect(LAZY.filter((m) => eager.has(m))).toEqual([]);
    expect(eager.has('packages/core/src/model/model.ts')).toBe(true);
    expect(split.total.min).toBeGreaterThan(split.eager.min);
  });

  it('why() names the static import chain that pulls a module in', async () => {
    const split = await splitSize(ROOT, 'packages/core/src/decode.ts', EXTERNAL);
    expect(split.why('packages/core/src/data/images/decode-jpeg.ts')).toEqual([
      'packages/core/src/decode.ts',
      'packages/core/src/data/images/decode-image.ts',
      'packages/core/src/data/images/decode-jpeg.ts',
    ]);
    expect(split.why('packages/core/src/model/fit-run.ts')).toEqual([]);
  });

  it('the synchronous decoder is on @graftjs/core/decode, and graftjs still exports it', async () => {
    const decode = await import('@graftjs/core/decode');
    const core = await import('@graftjs/core');
    const umbrella = await import('graftjs');
    expect(typeof decode.decodeImage).toBe('function');
    expect(core).not.toHaveProperty('decodeImage');
    expect(umbrella.decodeImage).toBe(decode.decodeImage);
  });
});

describe('lazy()', () => {
  it('loads nothing until called, then passes the arguments through and settles as the loaded function', async () => {
    let loads = 0;
    const add = lazy(async () => {
      loads++;
      return async (a: number, b: number) => {
        if (a < 0) throw new Error(`negative ${a}`);
        return a + b;
      };
    });
    expect(loads).toBe(0);
    expect(await add(2, 3)).toBe(5);
    await expect(add(-1, 1)).rejects.toThrow('negative -1');
    expect(loads).toBe(2);
  });
});
