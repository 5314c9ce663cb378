import { decodeBitmap } from './bitmap-decode';
import { BROWSER_DECODE_WORKER_SOURCE } from './browser-decode-worker-source';
import { type BytesDecoder, ItemDecodeError, sequentialDecoder, transferable } from './bytes-decoder';
import type { DecodedImage } from './types';

type Reply =
  | { id: number; images: { data: ArrayBuffer; width: number; height: number }[] }
  | { id: number; error: { index: number; message: string } };

interface Pending {
  resolve: (images: DecodedImage[]) => void;
  reject: (e: unknown) => void;
}

/** Raised when a worker itself fails (not an image in it): the pool decodes on the main thread from then on. */
class WorkerBroken extends Error {}

/** One Web Worker and its unanswered requests (it answers in order). */
class BrowserDecodeWorker {
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private dead: WorkerBroken | null = null;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<Reply>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.dead = new WorkerBroken(`a decode worker failed: ${e.message ?? 'unknown error'}`);
      this.failAll(this.dead);
    };
  }

  decode(bytes: Uint8Array[]): Promise<DecodedImage[]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    // the worker gets exactly each image's bytes, moved (not copied) when a view spans its whole buffer
    const buffers = bytes.map(transferable);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, bytes: buffers }, buffers);
    });
  }

  terminate(): void {
    this.dead = new WorkerBroken('the decode pool was closed');
    this.failAll(this.dead);
    this.worker.terminate();
  }

  private receive(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new ItemDecodeError(reply.error.index, new Error(reply.error.message)));
    else p.resolve(reply.images.map((m) => ({ data: new Uint8Array(m.data), width: m.width, height: m.height })));
  }

  private failAll(e: unknown): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * Decodes with the browser's decoder in `size` Web Workers started from a Blob URL: a batch is cut into contiguous
 * parts, one per worker, bytes and pixels transferred both ways. Where workers cannot start (no `Worker`, a
 * content security policy refusing blob: workers) or one fails, it decodes on the main thread instead: the same
 * pixels, only slower.
 */
export function browserDecodePool(size: number): BytesDecoder {
  const inline = sequentialDecoder(decodeBitmap);
  const { workers, url } = size > 0 ? startWorkers(size) : { workers: [], url: undefined };
  let broken = workers.length === 0;
  return {
    async decode(bytes) {
      if (broken) return inline.decode(bytes);
      const per = Math.ceil(bytes.length / workers.length);
      const parts = workers
        .map((w, i) => ({ w, at: i * per, part: bytes.slice(i * per, (i + 1) * per) }))
        .filter((p) => p.part.length > 0);
      // the main thread keeps a copy only until the workers answer, so a broken worker's part can be redone
      const copies = parts.map((p) => p.part.map((b) => new Uint8Array(b)));
      const settled = await Promise.allSettled(parts.map((p) => p.w.decode(p.part)));
      const out: DecodedImage[] = [];
      for (const [k, s] of settled.entries()) {
        if (s.status === 'fulfilled') out.push(...s.value);
        else if (s.reason instanceof ItemDecodeError)
          throw new ItemDecodeError(parts[k].at + s.reason.index, s.reason.cause);
        else {
          broken = true;
          out.push(...(await redo(inline, copies[k], parts[k].at)));
        }
      }
      return out;
    },
    close() {
      for (const w of workers) w.terminate();
      if (url) URL.revokeObjectURL(url);
    },
  };
}

async function redo(inline: BytesDecoder, bytes: Uint8Array[], at: number): Promise<DecodedImage[]> {
  try {
    return await inline.decode(bytes);
  } catch (e) {
    throw e instanceof ItemDecodeError ? new ItemDecodeError(at + e.index, e.cause) : e;
  }
}

function startWorkers(size: number): { workers: BrowserDecodeWorker[]; url?: string } {
  if (typeof Worker !== 'function' || typeof URL.createObjectURL !== 'function') return { workers: [] };
  const url = URL.createObjectURL(new Blob([BROWSER_DECODE_WORKER_SOURCE], { type: 'text/javascript' }));
  const workers: BrowserDecodeWorker[] = [];
  try {
    for (let i = 0; i < size; i++) workers.push(new BrowserDecodeWorker(new Worker(url)));
    return { workers, url };
  } catch {
    // blob: workers refused (a content security policy): the main thread decodes
    for (const w of workers) w.terminate();
    URL.revokeObjectURL(url);
    return { workers: [] };
  }
}

/** Default pool size in a browser: cores - 1 (the main thread runs the base), at least 1, at most 4. */
export function defaultBrowserWorkers(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, Math.min(4, cores - 1));
}
