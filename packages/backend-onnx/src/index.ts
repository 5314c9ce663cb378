/**
 * @graftjs/backend-onnx: ONNX export of graft models, the "onnx" inference backend on
 * onnxruntime-web, and ONNX models as frozen feature extractors. Importing it registers one "onnx" entry
 * (inference runtime and exporter) in @graftjs/core's registry.
 */
import { backends } from '@graftjs/core';
import './error-codes';
import { onnxBackendEntry } from './runtime/backend-entry';

backends.register('onnx', onnxBackendEntry);

export type { OnnxBackboneOptions } from './backbone/onnx-backbone';
export { onnxBackbone } from './backbone/onnx-backbone';
export type { OnnxBackbone, OnnxGraphSource } from './backbone/onnx-graph-source';
export { exportOnnx } from './export/export-onnx';
export type { OnnxOptions, OnnxSettings } from './runtime/onnx-settings';
export { configureOnnx } from './runtime/onnx-settings';
export type { OnnxTextEncoder, OnnxTextEncoderOptions } from './text/onnx-text-encoder';
export { onnxTextEncoder } from './text/onnx-text-encoder';
export type { OnnxTextSource } from './text/text-files';
export type { Pooling, TokenInputs } from './text/text-graph';
export type { TokenBatch } from './text/token-batch';
