import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// A bare page for the browser checkpoint tests: graft from source, nothing else.
export default defineConfig({
  root: path.dirname(fileURLToPath(import.meta.url)),
  resolve: { conditions: ['graft-source', ...defaultClientConditions] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000, minify: false },
});
