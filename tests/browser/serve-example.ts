import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type PreviewServer, preview } from 'vite';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const APP = path.join(REPO, 'examples/web');
export const OUT = path.join(REPO, 'test-output');

/**
 * Builds an app (default: the web example) for production into test-output/ and serves it with `vite preview` on a
 * free loopback port.
 */
export async function buildAndPreview(
  app = APP,
  outName = 'web-dist',
): Promise<{ url: string; server: PreviewServer }> {
  const configFile = path.join(app, 'vite.config.ts');
  const outDir = path.join(OUT, outName);
  await build({ configFile, root: app, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile,
    root: app,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const addr = server.httpServer.address();
  if (!addr || typeof addr === 'string') throw new Error('vite preview did not report a port');
  return { url: `http://127.0.0.1:${addr.port}/`, server };
}
