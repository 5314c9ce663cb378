import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FileServer {
  url: string;
  /** Number of files served with HTTP 200 so far. */
  served(): number;
  close(): Promise<void>;
}

/** Serves files of `root` on 127.0.0.1 (a loopback server the test owns; no network). */
export async function serveFolder(root: string, options: { chunked?: boolean } = {}): Promise<FileServer> {
  let served = 0;
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, path.normalize(name));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    served++;
    // chunked: no content-length, so the client can only bound the size while it reads
    const length = options.chunked ? {} : { 'content-length': statSync(file).size };
    res.writeHead(200, { ...length, 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
