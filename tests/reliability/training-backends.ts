import { enableNodeWebGPU, releaseWebGPU } from '@graftjs/backend-webgpu';
import { findVulkanDriver, VULKAN_ENV_FILE } from '../../packages/backend-webgpu/test/vulkan-env';
import { TRAINING_BACKENDS } from '../helpers/backends';

/** Same detection as packages/backend-webgpu/test: a Vulkan driver named by the environment or .ci/vulkan.sh. */
export const WEBGPU_DRIVER = findVulkanDriver();

if (!WEBGPU_DRIVER) {
  console.warn(
    `[reliability] webgpu SKIPPED: no Vulkan driver (VK_ICD_FILENAMES unset and no ${VULKAN_ENV_FILE}); run: bash .ci/vulkan.sh`,
  );
}
// Test-only: lavapipe compiles shaders without LLVM optimisation (compiling, not running, is what tiny models cost).
if (WEBGPU_DRIVER) process.env.GALLIVM_PERF ??= 'nopt';

/** cpu and wasm always; webgpu when a driver is configured. */
export const RELIABILITY_BACKENDS: string[] = [...TRAINING_BACKENDS, ...(WEBGPU_DRIVER ? ['webgpu'] : [])];

/** Per-backend setup: webgpu in Node needs Dawn enabled first. */
export async function prepareBackend(name: string): Promise<void> {
  if (name !== 'webgpu') return;
  const status = await enableNodeWebGPU();
  if (!status.available) throw new Error(`webgpu: a Vulkan driver was found (${WEBGPU_DRIVER}) but ${status.reason}`);
}

/** A Dawn device left alive can keep the worker from exiting. */
export function releaseBackend(name: string): void {
  if (name === 'webgpu') releaseWebGPU();
}
