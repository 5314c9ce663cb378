import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// The page of bench/onnx-browser.ts: graft from source; onnxruntime-web's files are served by the bench under /ort/.
export default defineConfig({
  root: path.dirname(fileURLToPath(import.meta.url)),
  resolve: { conditions: ['graft-source', ...defaultClientConditions] },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // unminified: tfjs-backend-wasm's threads rebuild its factory from source (see examples/web/vite.config.ts)
  build: { target: 'es2022', chunkSizeWarningLimit: 8000, minify: false },
});
