import { tmpdir } from 'node:os';
import path from 'node:path';
import { backends, GraftError } from '@graftjs/core';
import { describe, expect, it } from 'vitest';
import { describeAdapter } from '../src/adapter-info';
import type { GpuAdapterLike, NodeWebGPUModule } from '../src/gpu-types';
import { enableNodeWebGPU, NODE_NEEDS_ENABLE, nodeWebGPUStatus, webgpuMemory } from '../src/index';

// These run everywhere, GPU or not: Dawn is replaced by stand-ins, so nothing here loads a driver.
// Order matters: the last test enables a (fake) adapter for the rest of this file's process.

const fakeAdapter: GpuAdapterLike = {
  info: { vendor: 'acme', architecture: 'rdna9', description: 'Acme Test GPU' },
  features: new Set<string>(),
  limits: {},
  requestDevice: async () => ({ destroy() {} }),
};
const stub =
  (adapter: GpuAdapterLike | null, globals = { GPUBufferUsage: { STORAGE: 128 } }) =>
  async () =>
    ({ create: () => ({ requestAdapter: async () => adapter }), globals }) as NodeWebGPUModule;

async function useError(name: string): Promise<GraftError> {
  const e = await backends.use(name).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(GraftError);
  return e as GraftError;
}

const g = globalThis as Record<string, unknown>;
const presetShaderCache = process.env.MESA_SHADER_CACHE_DIR;

describe('webgpu backend in Node before enableNodeWebGPU()', () => {
  it('is registered, listed as unavailable with the reason', async () => {
    expect(nodeWebGPUStatus()).toBeNull();
    const status = (await backends.list()).find((b) => b.name === 'webgpu');
    expect(status).toMatchObject({ available: false, reason: NODE_NEEDS_ENABLE, priority: 3 });
    expect(status?.capabilities).toEqual({ train: true, inference: true, float32: true, hostMemory: 'device' });
  });

  it("backends.use('webgpu') throws BACKEND_UNAVAILABLE naming enableNodeWebGPU()", async () => {
    const e = await useError('webgpu');
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.message).toContain(NODE_NEEDS_ENABLE);
  });

  it("backends.use('auto') skips webgpu and says why", async () => {
    const choice = await backends.use('auto');
    expect(choice.name).not.toBe('webgpu');
    expect(choice.skipped).toContainEqual({ name: 'webgpu', reason: NODE_NEEDS_ENABLE });
  });

  it('webgpuMemory() is null while webgpu is not the active tfjs backend', async () => {
    await backends.use('cpu');
    expect(webgpuMemory()).toBeNull();
  });
});

describe('enableNodeWebGPU() rejects bad options with INVALID_OPTION', () => {
  const bad: [string, unknown][] = [
    ['a string', 'vulkan'],
    ['null', null],
    ['an array', ['backend=vulkan']],
    ['flags as a string', { flags: 'backend=vulkan' }],
    ['flags with a number', { flags: ['backend=vulkan', 3] }],
    ['a non-function provider', { provider: 'webgpu' }],
  ];
  for (const [what, options] of bad) {
    it(what, async () => {
      const e = await enableNodeWebGPU(options as never).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(GraftError);
      expect((e as GraftError).code).toBe('INVALID_OPTION');
      expect((e as GraftError).message).toMatch(/expects .*, got /);
    });
  }
});

describe('enableNodeWebGPU() turns failures into a reason, never a crash', () => {
  it('the webgpu package cannot be loaded', async () => {
    const status = await enableNodeWebGPU({
      provider: () => Promise.reject(new Error("Cannot find package 'webgpu'")),
    });
    expect(status).toEqual({ available: false, reason: expect.stringContaining("Cannot find package 'webgpu'") });
    const e = await useError('webgpu');
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.message).toContain('cannot load the "webgpu" package');
  });

  it('the package has no create()', async () => {
    const status = await enableNodeWebGPU({ provider: async () => ({}) as NodeWebGPUModule });
    expect(status).toMatchObject({ available: false, reason: expect.stringContaining('no create()') });
  });

  it('Dawn refuses the flags', async () => {
    const status = await enableNodeWebGPU({
      flags: ['nonsense'],
      provider: async () => ({
        create: () => {
          throw new Error('unknown flag nonsense');
        },
      }),
    });
    expect(status).toMatchObject({ available: false, reason: expect.stringContaining('unknown flag nonsense') });
    expect((status as { reason: string }).reason).toContain('[nonsense]');
  });

  it('no adapter (no Vulkan driver): reason points at VK_ICD_FILENAMES, globals are taken back', async () => {
    const status = await enableNodeWebGPU({ provider: stub(null) });
    expect(status).toMatchObject({ available: false, reason: expect.stringContaining('VK_ICD_FILENAMES') });
    expect((g.navigator as { gpu?: unknown } | undefined)?.gpu).toBeUndefined();
    expect(g.GPUBufferUsage).toBeUndefined();
    const e = await useError('webgpu');
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.message).toContain('no WebGPU adapter');
  });

  it('requestAdapter() throws', async () => {
    const status = await enableNodeWebGPU({
      provider: async () => ({
        create: () => ({ requestAdapter: () => Promise.reject(new Error('device lost')) }),
      }),
    });
    expect(status).toMatchObject({ available: false, reason: expect.stringContaining('device lost') });
    expect((g.navigator as { gpu?: unknown } | undefined)?.gpu).toBeUndefined();
  });

  it('points Mesa shader caches at the temp folder, not the home folder, unless told where', () => {
    const expected = presetShaderCache ?? path.join(tmpdir(), 'graft-mesa-shader-cache');
    expect(process.env.MESA_SHADER_CACHE_DIR).toBe(expected);
  });
});

describe('enableNodeWebGPU() with an adapter', () => {
  it('installs navigator.gpu and the GPU* globals and reports the adapter', async () => {
    const status = await enableNodeWebGPU({ provider: stub(fakeAdapter) });
    expect(status).toEqual({ available: true, adapter: 'acme / rdna9 / Acme Test GPU' });
    expect((g.navigator as { gpu?: unknown }).gpu).toBeDefined();
    expect(g.GPUBufferUsage).toEqual({ STORAGE: 128 });
    const listed = (await backends.list()).find((b) => b.name === 'webgpu');
    expect(listed).toMatchObject({ available: true, reason: 'acme / rdna9 / Acme Test GPU' });
  });

  it('a second call reuses the first GPU', async () => {
    const again = await enableNodeWebGPU({ provider: () => Promise.reject(new Error('must not be called')) });
    expect(again).toEqual({ available: true, adapter: 'acme / rdna9 / Acme Test GPU' });
  });
});

describe('describeAdapter', () => {
  const adapter = (info: GpuAdapterLike['info']) => ({ ...fakeAdapter, info });
  it('joins vendor, architecture and description', () => {
    expect(describeAdapter(adapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe' }))).toBe(
      'mesa / llvmpipe',
    );
  });
  it('falls back to the device id, then to a placeholder', () => {
    expect(describeAdapter(adapter({ vendor: 'google', device: '0xc0de' }))).toBe('google / 0xc0de');
    expect(describeAdapter(adapter({}))).toBe('adapter without vendor information');
    expect(describeAdapter(adapter(undefined))).toBe('adapter without vendor information');
  });
});
