import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GraftError, type GraftErrorCode } from '../../errors/graft-error';
import { ItemDecodeError, transferable } from './bytes-decoder';
import type { DecodeReply, DecodeRequest } from './decode-protocol';
import type { DecodedImage, PixelSource } from './types';

/** Default pool size: one core stays for the main thread (the base's forward pass), at least one worker. */
export function defaultDecodeWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
}

/** tsx's ESM register API (the `import` target of `tsx/esm/api` in its exports map), found from `here`. */
function tsxEsmApi(here: string): string {
  const manifest = createRequire(here).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return path.join(path.dirname(manifest), pkg.exports['./esm/api'].import.default);
}

// From source (tsx, vitest) this module is a .ts file and its worker is too, so the worker registers tsx first;
// from dist both are built JavaScript side by side (tsup builds the worker as an entry of its own).
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./decode-worker.js', here));
  const tsx = pathToFileURL(tsxEsmApi(here)).href;
  const entry = new URL('./node-decode-worker.ts', here).href;
  const boot = `const { workerData: w } = require('node:worker_threads');
import(w.tsx).then((api) => { api.register(); return import(w.entry); });`;
  return new Worker(boot, { eval: true, workerData: { tsx, entry } });
}

interface Pending {
  resolve: (images: DecodedImage[]) => void;
  reject: (e: unknown) => void;
  /** A request of bytes: a failed image rejects with its index (ItemDecodeError) for the source to name. */
  bytes: boolean;
}

/** One worker thread and the requests it has not answered yet (it answers in order). */
class DecodeWorker {
  private readonly worker = startWorker();
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor() {
    this.worker.on('message', (reply: DecodeReply) => this.receive(reply));
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`the decode worker exited (code ${code})`)));
  }

  decode(files: readonly string[], maxPixels: number, bytes?: Uint8Array[]): Promise<DecodedImage[]> {
    const id = this.next++;
    // exactly each image's bytes travel, moved (not copied) when a view spans its whole buffer
    const buffers = bytes?.map(transferable);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, bytes: buffers !== undefined });
      const request: DecodeRequest = { id, files: [...files], maxPixels, bytes: buffers };
      this.worker.postMessage(request, buffers ?? []);
    });
  }

  async terminate(): Promise<void> {
    this.failAll(new GraftError('ABORTED', 'the decode pool was closed'));
    await this.worker.terminate();
  }

  private receive(reply: DecodeReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) {
      const { code, message, details, index } = reply.error;
      const err = new GraftError(code as GraftErrorCode, message.replace(/^\[[A-Z_]+\] /, ''), details);
      p.reject(p.bytes ? new ItemDecodeError(index, err) : err);
      return;
    }
    p.resolve(reply.images.map((m) => ({ data: new Uint8Array(m.data), width: m.width, height: m.height })));
  }

  private failAll(e: unknown): void {
    const failure =
      e instanceof GraftError
        ? e
        : new GraftError('LOAD_FAILED', `a decode worker failed: ${(e as Error)?.message ?? String(e)}`);
    for (const p of this.pending.values()) p.reject(failure);
    this.pending.clear();
  }
}

/**
 * Decodes image files in `size` worker threads: a batch is cut into contiguous parts, one per worker, and the
 * 8-bit pixels come back transferred (not copied). A bad file rejects the batch with its coded error naming the
 * file (the first bad one in batch order when several fail). `close` terminates the workers.
 */
export class NodeDecodePool implements PixelSource {
  private workers: DecodeWorker[];

  constructor(
    size: number,
    private readonly maxPixels: number,
  ) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => new DecodeWorker());
  }

  decode(names: readonly string[]): Promise<DecodedImage[]> {
    return this.spread(names, undefined);
  }

  /** Encoded images already read and checked (a `BytesDecoder`): a bad one rejects with its index in `bytes`. */
  decodeBytes(bytes: Uint8Array[]): Promise<DecodedImage[]> {
    return this.spread(
      bytes.map((_, i) => `bytes[${i}]`),
      bytes,
    );
  }

  /** One contiguous part of the batch per worker; the first failure in batch order rejects. */
  private async spread(names: readonly string[], bytes: Uint8Array[] | undefined): Promise<DecodedImage[]> {
    if (this.workers.length === 0) throw new GraftError('ABORTED', 'the decode pool was closed');
    const per = Math.ceil(names.length / this.workers.length);
    const parts = this.workers
      .map((w, i) => ({ w, at: i * per, files: names.slice(i * per, (i + 1) * per) }))
      .filter((p) => p.files.length > 0);
    const settled = await Promise.allSettled(
      parts.map((p) => p.w.decode(p.files, this.maxPixels, bytes?.slice(p.at, p.at + p.files.length))),
    );
    const k = settled.findIndex((s) => s.status === 'rejected');
    if (k >= 0) {
      const reason = (settled[k] as PromiseRejectedResult).reason;
      throw reason instanceof ItemDecodeError ? new ItemDecodeError(parts[k].at + reason.index, reason.cause) : reason;
    }
    return settled.flatMap((s) => (s as PromiseFulfilledResult<DecodedImage[]>).value);
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
