import { backends } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableNodeWebGPU, releaseWebGPU, webgpuMemory } from '../src/index';
import { maxAbsDiff } from './seeded';
import { cnn, initialWeights, mlp, runOn, type Task } from './train-on-backend';
import { findVulkanDriver, VULKAN_ENV_FILE } from './vulkan-env';

const driver = findVulkanDriver();
if (!driver) {
  console.warn(
    `[backend-webgpu] SKIPPED webgpu-vs-cpu: no Vulkan driver (VK_ICD_FILENAMES unset and no ${VULKAN_ENV_FILE}); run: bash .ci/vulkan.sh && . .cache/vulkan/env.sh`,
  );
}

// Test-only: lavapipe then skips LLVM's optimisation passes. Compiling ~60 shaders, not running them,
// is what these tiny models cost on a software driver (cold: ~24 s of CPU time with, ~16 s without).
if (driver) process.env.GALLIVM_PERF ??= 'nopt';

describe.skipIf(!driver)(`webgpu in Node on ${driver} matches cpu`, () => {
  beforeAll(async () => {
    const status = await enableNodeWebGPU();
    expect(status).toMatchObject({ available: true });
  });

  // A Dawn device left alive can keep the worker from exiting.
  afterAll(() => releaseWebGPU());

  it('initialises and reports the adapter', async () => {
    const choice = await backends.use('webgpu');
    expect(choice.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const status = (await backends.list()).find((b) => b.name === 'webgpu');
    expect(status).toMatchObject({ available: true, active: true });
    expect(status?.reason).not.toMatch(/not queried/);
    expect(choice.reason).toContain(status?.reason);
  });

  it('webgpuMemory() counts live tensors and their GPU bytes', async () => {
    await backends.use('webgpu');
    const before = webgpuMemory();
    // Large enough to run on the GPU: tfjs computes small tensors on the CPU.
    const a = tf.ones([64, 64]);
    const b = tf.matMul(a, a);
    expect(Array.from(await b.data()).every((v) => v === 64)).toBe(true);
    const during = webgpuMemory();
    expect(during?.numTensors).toBe((before?.numTensors ?? 0) + 2);
    expect(during?.numBytesInGPU).toBeGreaterThanOrEqual((before?.numBytesInGPU ?? 0) + 64 * 64 * 4);
    tf.dispose([a, b]);
    expect(webgpuMemory()).toMatchObject({ numTensors: before?.numTensors, numBytesInGPU: before?.numBytesInGPU });
  });

  const compare = async (task: Task) => {
    const weights = await initialWeights(task);
    const cpu = await runOn('cpu', task, weights);
    const gpu = await runOn('webgpu', task, weights);
    expect(maxAbsDiff(gpu.forward, cpu.forward)).toBeLessThan(1e-4);
    expect(gpu.losses).toHaveLength(3);
    expect(maxAbsDiff(gpu.losses, cpu.losses)).toBeLessThan(1e-3);
    expect(cpu.losses[2]).toBeLessThan(cpu.losses[0]); // it trained, so equal losses mean something
    expect(gpu.leaked).toBe(0);
    expect(cpu.leaked).toBe(0);
  };

  it('MLP 784-32-10: forward within 1e-4 of cpu, 3 epoch losses within 1e-3', () => compare(mlp));
  it('CNN conv8 3x3 - maxpool - dense 10 on 12x12x1: same tolerances', () => compare(cnn));

  it('releaseWebGPU() frees the device; the next use() creates a new one', async () => {
    await backends.use('webgpu');
    releaseWebGPU();
    expect(tf.engine().backendName).not.toBe('webgpu');
    await backends.use('webgpu');
    const a = tf.ones([64, 64]);
    const b = tf.matMul(a, a);
    expect((await b.data())[0]).toBe(64);
    tf.dispose([a, b]);
  });
});
