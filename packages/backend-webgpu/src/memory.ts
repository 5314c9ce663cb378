import * as tf from '@tensorflow/tfjs-core';

export interface WebGPUMemory {
  numTensors: number;
  /** Bytes of GPU buffers holding live tensors. */
  numBytesInGPU: number;
  /** Bytes of GPU buffers allocated, including those pooled for reuse. */
  numBytesAllocatedInGPU: number;
}

/** tfjs' GPU memory figures for leak tests; null while another tfjs backend is active. */
export function webgpuMemory(): WebGPUMemory | null {
  if (tf.engine().backendName !== 'webgpu') return null; // getBackend() would start one
  const m = tf.memory() as tf.MemoryInfo & Partial<WebGPUMemory>;
  return {
    numTensors: m.numTensors,
    numBytesInGPU: m.numBytesInGPU ?? 0,
    numBytesAllocatedInGPU: m.numBytesAllocatedInGPU ?? 0,
  };
}
