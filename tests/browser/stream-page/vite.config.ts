import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// A bare page for streamed image sources in Chromium (the browser test and bench/data-scale-browser.ts).
export default defineConfig({
  root: path.dirname(fileURLToPath(import.meta.url)),
  resolve: { conditions: ['graft-source', ...defaultClientConditions] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000, minify: false },
});
