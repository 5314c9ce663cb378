import { backends, env } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { browserWebGPUAvailability } from './browser-availability';
import { NODE_NEEDS_ENABLE, nodeWebGPUStatus } from './enable-node-webgpu';
import type { GpuLike } from './gpu-types';
import { activeAdapter, registerTfjsWebGPU } from './tfjs-webgpu';

let probedAdapter = '';

backends.register('webgpu', {
  priority: 3,
  capabilities: { train: true, inference: true, float32: true, hostMemory: 'device' },
  async isAvailable() {
    if (!env.runtime.isNode) {
      const found = await browserWebGPUAvailability((globalThis as { navigator?: { gpu?: GpuLike } }).navigator);
      if (!found.available) return found.reason;
      probedAdapter = found.adapter;
      return true;
    }
    const status = nodeWebGPUStatus();
    if (status === null) return NODE_NEEDS_ENABLE;
    if (!status.available) return `${NODE_NEEDS_ENABLE}: ${status.reason}`;
    probedAdapter = status.adapter;
    return true;
  },
  async init() {
    // tfjs-backend-webgpu is imported here, not at the top: it checks navigator.gpu when imported,
    // and in Node that only exists after enableNodeWebGPU().
    await registerTfjsWebGPU();
    if (!(await tf.setBackend('webgpu')))
      throw new Error('tfjs could not create its webgpu backend (see the warning above)');
    await tf.ready();
  },
  describe: () => activeAdapter() || probedAdapter || 'WebGPU adapter not queried yet',
});
