import { describe, GraftError } from '../../errors/graft-error';
import { readImageFile } from './read-image-file';
import type { DecodedImage } from './types';

/**
 * Where a stream's pixels come from: given the names of a batch of its items (file paths here; another source
 * maps names to its own items: File/Blob, URLs), their decoded 8-bit RGB pixels in the same order. A bad item
 * rejects with its coded error naming it. Pluggable so the calling thread, a Node worker pool or a browser
 * decode pool serve the same batches; `close` ends whatever the source started (idempotent).
 */
export interface PixelSource {
  decode(names: readonly string[]): Promise<DecodedImage[]>;
  close(): Promise<void>;
}

/** Opens a PixelSource for one pass over a stream (a pool starts its workers here and ends them at close). */
export type PixelSourceFactory = () => Promise<PixelSource>;

/** Files read and decoded one by one on the calling thread. */
export function inlineFileSource(maxPixels: number): PixelSource {
  return {
    async decode(names) {
      const out: DecodedImage[] = [];
      for (const name of names) out.push(await readImageFile(name, { maxPixels }));
      return out;
    },
    async close() {},
  };
}

/**
 * Image files decoded by `workers` Node worker threads (`undefined`: cores - 1, at least 1), or on the calling
 * thread with 0 or outside Node. The pool is Node-only code, loaded on first use.
 */
export function fileSource(maxPixels: number, workers: number | undefined): PixelSourceFactory {
  return async () => {
    const inNode = Boolean((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node);
    if (workers === 0 || !inNode) return inlineFileSource(maxPixels);
    const { NodeDecodePool, defaultDecodeWorkers } = await import('./node-decode-pool');
    return new NodeDecodePool(workers ?? defaultDecodeWorkers(), maxPixels);
  };
}

/** `workers` as given: undefined, or a non-negative integer. */
export function checkWorkers(workers: unknown): number | undefined {
  if (workers === undefined || (Number.isInteger(workers) && (workers as number) >= 0)) {
    return workers as number | undefined;
  }
  throw new GraftError(
    'INVALID_OPTION',
    `expected workers as a non-negative integer (0 decodes on the calling thread), got ${describe(workers)}`,
    { option: 'workers' },
  );
}
