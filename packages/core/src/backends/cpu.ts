import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { backends } from './registry';

/** Core ships the plain JavaScript backend, which runs everywhere. */
backends.register('cpu', {
  priority: 1,
  capabilities: { train: true, inference: true, float32: true, hostMemory: 'shared' },
  isAvailable: () => true,
  async init() {
    // graft's faster filter-gradient kernel loads with the backend's first use (a fit or a predict selects it)
    const { registerCpuConv2DBackpropFilter } = await import('./cpu-kernels/conv2d-backprop-filter');
    registerCpuConv2DBackpropFilter();
    await tf.setBackend('cpu');
    await tf.ready();
  },
  describe: () => 'plain JavaScript kernels',
});

// Make cpu the engine's backend at once, so tensors made before `backends.use(...)` (a Dataset built
// first) work: tfjs would otherwise pick the highest-priority registered backend, which
// needs async init and throws. `backends.use` switches later; tfjs moves tensors across on first use.
void tf.setBackend('cpu');
