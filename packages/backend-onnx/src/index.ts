/**
 * @graftjs/backend-onnx: ONNX export of graft models, the "onnx" inference backend on
 * onnxruntime-web, and ONNX models as frozen feature extractors. Importing it registers the
 * "onnx" exporter, runtime and backend entry with @graftjs/core.
 */
import { backends, registerExporter, registerRuntime } from '@graftjs/core';
import { exportOnnx } from './export/export-onnx';
import { onnxBackendEntry } from './runtime/backend-entry';
import { onnxRuntime } from './runtime/onnx-runtime';

registerExporter('onnx', exportOnnx);
registerRuntime('onnx', onnxRuntime);
backends.register('onnx', onnxBackendEntry);

export type { OnnxBackboneOptions } from './backbone/onnx-backbone';
export { onnxBackbone } from './backbone/onnx-backbone';
export type { OnnxOptions, OnnxSettings } from './runtime/onnx-settings';
export { configureOnnx } from './runtime/onnx-settings';
export { exportOnnx };
