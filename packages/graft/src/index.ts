// The one package a web app installs: everything in @graftjs/core, the heads and the zoo, with every
// backend registered on import (webgpu > wasm > cpu for training; onnx for inference).
export * from '@graftjs/core';
export * from '@graftjs/heads';
export * from '@graftjs/zoo';
export { configureWasm, wasmInfo } from '@graftjs/backend-wasm';
export { enableNodeWebGPU, nodeWebGPUStatus, releaseWebGPU, webgpuMemory } from '@graftjs/backend-webgpu';
export { configureOnnx, exportOnnx, onnxBackbone } from '@graftjs/backend-onnx';
export * from './worker';
