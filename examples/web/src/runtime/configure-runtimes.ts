// The bundler copies each binary and hands back its final URL; tfjs and onnxruntime fetch them from there.
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { configureWasm } from 'graftjs';
import { configureOnnx } from 'graftjs/onnx';
// onnxruntime-web's wasm-only build (graft loads it for the wasm execution provider; the WebGPU build's binary is
// ort-wasm-simd-threaded.jsep.wasm, for configureOnnx({ executionProvider: 'webgpu' }))
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

/** Points tfjs-backend-wasm and onnxruntime-web at the bundled .wasm files (page and worker alike). */
export function configureRuntimes(): void {
  configureWasm({
    'tfjs-backend-wasm.wasm': tfjsWasm,
    'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreaded,
  });
  configureOnnx({ wasmPaths: { wasm: ortWasm } });
}
