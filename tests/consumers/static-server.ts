import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, so wasm threads). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Answers a request itself (true) or passes it on to the folder (false). */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves a built app's folder (a 404 for what is missing: no SPA fallback hiding a missing .wasm) on 127.0.0.1,
 * `routes` tried first. `requests()` counts what it was asked, for tests that check nothing was fetched.
 */
export async function serveFolder(
  root: string,
  headers: Record<string, string> = {},
  routes: Route[] = [],
): Promise<{ url: string; close(): Promise<void>; requests(): number }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    if (routes.some((r) => r(req, res))) return;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) file = root;
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    requests: () => requests,
  };
}
