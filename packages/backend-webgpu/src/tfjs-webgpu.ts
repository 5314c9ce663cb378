import * as tf from '@tensorflow/tfjs-core';
import { describeAdapter } from './adapter-info';
import type { GpuDeviceLike, GpuLike } from './gpu-types';
import { keepSmallHostCopies } from './host-copies';

type WebGPUBackendClass = new (device: GpuDeviceLike, adapterInfo?: unknown) => tf.KernelBackend;

let device: GpuDeviceLike | null = null;
let adapterDescription = '';

/** The adapter the tfjs backend runs on, once it was created. */
export function activeAdapter(): string {
  return adapterDescription;
}

// The limits tfjs' own factory asks for: without them the device gets WebGPU's small defaults
// (e.g. 128 MiB storage bindings) and larger models fail.
const LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
];

/**
 * Registers graft's factory for tfjs' 'webgpu' backend. tfjs-backend-webgpu registers one itself when it
 * is imported, but only if navigator.gpu already exists then, and it never hands out its device:
 * our factory keeps the device so releaseWebGPU() can destroy it (a Node process holding a Dawn
 * device does not exit) and can register again afterwards.
 */
export async function registerTfjsWebGPU(): Promise<void> {
  if (tf.findBackend('webgpu')) return; // already created (by us, or by an app that set it up itself)
  const mod = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as { WebGPUBackend: WebGPUBackendClass };
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu'); // tfjs' own, not created yet
  tf.registerBackend(
    'webgpu',
    async () => {
      const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
      if (!gpu) throw new Error('navigator.gpu is missing');
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null');
      const requiredLimits: Record<string, number> = {};
      for (const name of LIMITS) requiredLimits[name] = adapter.limits[name];
      const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
      device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
      adapterDescription = describeAdapter(adapter);
      const backend = new mod.WebGPUBackend(device, adapter.info);
      // graphs whose shape ops read small int32 tensors synchronously are served from host memory (host-copies.ts):
      // in Node there is no other way; in browsers the other way draws through OffscreenCanvas, which is slow and,
      // in headless Chromium on SwiftShader, fails ("mapAsync … A valid external Instance reference no longer exists")
      keepSmallHostCopies(backend);
      return backend;
    },
    3,
  );
}

/**
 * Disposes tfjs' webgpu backend and destroys its device, so a Node process can exit.
 * `backends.use('webgpu')` creates a new one afterwards.
 */
export function releaseWebGPU(): void {
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  device?.destroy();
  device = null;
  adapterDescription = '';
}
