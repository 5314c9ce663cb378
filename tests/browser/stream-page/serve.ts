import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { type Route, serveFolder } from '../../consumers/static-server';
import { ASSETS } from '../../helpers/assets';
import { OUT } from '../serve-example';

const PAGE = path.dirname(new URL(import.meta.url).pathname);
const MODEL = path.join(ASSETS, 'mobilenet_v1_0.25_224/layers');

/** Builds the streamed-sources page into test-output/stream-dist. */
export async function buildStreamPage(): Promise<string> {
  const outDir = path.join(OUT, 'stream-dist');
  const configFile = path.join(PAGE, 'vite.config.ts');
  await build({ configFile, root: PAGE, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** A route answering GET `prefix` + rest with the file `resolve(rest)` (a 404 when null or missing). */
export function fileRoute(prefix: string, resolve: (rest: string) => string | null): Route {
  return (req, res) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]);
    if (!url.startsWith(prefix)) return false;
    const file = resolve(url.slice(prefix.length));
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return true;
    }
    res.writeHead(200, { 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(res);
    return true;
  };
}

/**
 * Serves the built page on 127.0.0.1 with MobileNet v1 0.25 (the shared assets) under /model/ and `routes`
 * (the photos) tried first.
 */
export function serveStreamPage(outDir: string, routes: Route[]) {
  const model = fileRoute('/model/', (rest) => (rest.includes('/') ? null : path.join(MODEL, rest)));
  return serveFolder(outDir, {}, [...routes, model]);
}
