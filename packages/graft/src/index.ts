// The one package a web app installs, with the training backends registered on import (webgpu > wasm > cpu).
// ONNX (export, ONNX Runtime predictions, ONNX backbones) is one import away, `import 'graftjs/onnx'`, and not
// here: that keeps onnxruntime-web's wasm out of apps that never use it (see ./onnx.ts). Values are listed by
// name: this is what an app uses (builders, Model, data, heads, zoo, backends, env, errors); adapter-facing APIs
// live on @graftjs/core/adapter, and each scoped package keeps its full API. Every type is re-exported.
export type * from '@graftjs/backend-wasm';
export { configureWasm } from '@graftjs/backend-wasm';
export type * from '@graftjs/backend-webgpu';
export { enableNodeWebGPU, releaseWebGPU } from '@graftjs/backend-webgpu';
export type * from '@graftjs/core';
export {
  backends,
  Callback,
  callbacks,
  createRng,
  Dataset,
  dataset,
  deleteCheckpoint,
  ERROR_CODES,
  env,
  fromDirectory,
  fromImages,
  fromTextFile,
  GraftError,
  graphExtractor,
  isGraftError,
  loadModel,
  Model,
  readCheckpoint,
  SequentialModel,
  sequential,
  TransferModel,
  toImageTensor,
  transfer,
} from '@graftjs/core';
// the pure-JS decoder is core's own entry point, kept out of apps that import only @graftjs/core
export { decodeImage } from '@graftjs/core/decode';
export type * from '@graftjs/heads';
export { binary, classifier, embedding, L2Normalize, multiLabel, regression, tripletLoss } from '@graftjs/heads';
export type * from '@graftjs/zoo';
export {
  backbone,
  catalogue,
  loadBackbone,
  mobilenetV1,
  mobilenetV2,
  resnet50,
  sentenceEncoder,
  vgg16,
} from '@graftjs/zoo';
export type * from './worker';
export { serveTraining, trainInWorker, WorkerTrainer } from './worker';
