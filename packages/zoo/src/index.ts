export type { AlphaOptions, BuilderOptions } from './architectures/builder-options';
export { mobilenetV1 } from './architectures/mobilenet-v1';
export { mobilenetV2 } from './architectures/mobilenet-v2';
export { resnet50 } from './architectures/resnet50';
export { vgg16 } from './architectures/vgg16';
export { backbone, catalogue } from './catalogue';
export type { LoadBackboneOptions } from './load-backbone';
export { loadBackbone } from './load-backbone';
export type { GraphBackbone } from './loading/graph-backbone';
export { sha256Hex } from './loading/sha256';
export type {
  CatalogueEntry,
  LoadOptions as WeightLoadOptions,
  NamedBlob,
  PublishedFile,
  WeightSource,
} from './loading/types';
export { DEFAULT_MAX_BYTES } from './loading/types';
export type { OnnxDtype, OnnxEncoderEntry, OnnxEncoderFile, OnnxEncoderSource } from './onnx-encoders';
export { onnxEncoder, onnxEncoders } from './onnx-encoders';
export type { OnnxTextEncoderEntry, OnnxTextEncoderSource } from './onnx-text-encoders';
export { onnxTextEncoderSource, onnxTextEncoders } from './onnx-text-encoders';
export type { SentenceEncoder, SentenceEncoderOptions } from './text/sentence-encoder';
export { sentenceEncoder } from './text/sentence-encoder';
