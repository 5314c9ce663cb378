// The one package a web app installs: everything in @graft/core, the heads and the zoo, with every
// backend registered on import (webgpu > wasm > cpu for training; onnx for inference).
export * from '@graft/core';
export * from '@graft/heads';
export * from '@graft/zoo';
export { configureWasm, wasmInfo } from '@graft/backend-wasm';
export { enableNodeWebGPU, nodeWebGPUStatus, releaseWebGPU, webgpuMemory } from '@graft/backend-webgpu';
export { configureOnnx, exportOnnx, onnxBackbone } from '@graft/backend-onnx';
export * from './worker';
