import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { backends } from './registry';

/** Core ships the plain JavaScript backend, which runs everywhere. */
backends.register('cpu', {
  priority: 1,
  capabilities: { train: true, inference: true, float32: true },
  isAvailable: () => true,
  async init() {
    await tf.setBackend('cpu');
    await tf.ready();
  },
  describe: () => 'plain JavaScript kernels',
});
