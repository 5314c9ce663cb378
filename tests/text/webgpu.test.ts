import { enableNodeWebGPU, releaseWebGPU } from '@graftjs/backend-webgpu';
import { backends, transfer } from '@graftjs/core';
import { sentenceEncoder } from '@graftjs/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVulkanDriver } from '../../packages/backend-webgpu/test/vulkan-env';
import { maxDiff } from '../parity/parity-harness';
import '../helpers/backends';
import { LABELS, TEXTS } from './toy-texts';

const SENTENCES = ['The guitar has six strings.', 'I like my phone.', 'How old are you?', 'ok'];

const driver = findVulkanDriver();
if (!driver) console.warn('[text webgpu] SKIPPED: no Vulkan driver (. .cache/vulkan/env.sh)');
if (driver) process.env.GALLIVM_PERF ??= 'nopt';

const embedOn = async (backend: string) => {
  await backends.use(backend);
  const enc = await sentenceEncoder();
  const e = await enc.embed(SENTENCES);
  const out = (await e.data()) as Float32Array;
  e.dispose();
  enc.dispose();
  return out;
};

describe.skipIf(!driver)('USE Lite on webgpu in Node (no OffscreenCanvas)', () => {
  let reference: Float32Array;
  beforeAll(async () => {
    await enableNodeWebGPU();
    reference = await embedOn('cpu');
  });
  afterAll(async () => {
    await backends.use('cpu');
    releaseWebGPU();
  });

  it('a small int32 tensor used on the GPU still reads synchronously (its host copy is kept)', async () => {
    await backends.use('webgpu');
    expect(typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas).toBe('undefined');
    const axis = tf.tensor1d([1, 2, 3], 'int32');
    const big = tf.tidy(() => tf.add(tf.zeros([2000, 3], 'int32'), axis));
    await big.data();
    // the add ran on the GPU, so axis was uploaded; without its host copy this dataSync throws ReferenceError
    const entry = (tf.backend() as unknown as { tensorMap: Map<object, { resource: unknown }> }).tensorMap.get(
      axis.dataId,
    );
    expect(entry?.resource).toBeTruthy();
    expect(Array.from(axis.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([axis, big]);
  });

  it('embeds as cpu does, to 1e-4', async () => {
    const gpu = await embedOn('webgpu');
    expect(gpu.length).toBe(reference.length);
    expect(maxDiff(gpu, reference)).toBeLessThan(1e-4);
  });

  it('fits a text transfer model and predicts strings, leaking nothing', async () => {
    await backends.use('webgpu');
    const enc = await sentenceEncoder();
    const before = tf.memory().numTensors;
    const model = await transfer(enc, { seed: 3 }).addHead(2).fit(TEXTS, LABELS, { seed: 1 });
    const p = await model.predict(['free cash prize, call now to claim', 'see you at lunch tomorrow']);
    expect(p.map((x) => x.label)).toEqual(['spam', 'ham']);
    await model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    enc.dispose();
  });
});
