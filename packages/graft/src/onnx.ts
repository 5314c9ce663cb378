// graftjs/onnx: ONNX in one import. Importing it registers the "onnx" backend (export to .onnx, predictions on
// ONNX Runtime, ONNX backbones). The umbrella itself never references @graftjs/backend-onnx: onnxruntime-web
// names its ~27 MB wasm with `new URL(..., import.meta.url)`, which every bundler emits even behind a dynamic
// import, so only apps that import this subpath ship it.
export type * from '@graftjs/backend-onnx';
export { configureOnnx, exportOnnx, onnxBackbone, onnxTextEncoder } from '@graftjs/backend-onnx';
