import './register-backend';

export type { EnableNodeWebGPUOptions, NodeWebGPUStatus } from './enable-node-webgpu';
export { enableNodeWebGPU, NODE_NEEDS_ENABLE, nodeWebGPUStatus } from './enable-node-webgpu';
export type { NodeWebGPUModule } from './gpu-types';
export type { WebGPUMemory } from './memory';
export { webgpuMemory } from './memory';
export { releaseWebGPU } from './tfjs-webgpu';
