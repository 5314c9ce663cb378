import { describe, GraftError } from '../../errors/graft-error';
import type { DecodedImage, PixelSource, PixelSourceFactory } from './types';

export type { PixelSource, PixelSourceFactory } from './types';

/** Files read and decoded one by one on the calling thread. */
export function inlineFileSource(maxPixels: number): PixelSource {
  return {
    async decode(names) {
      // the decoders load with the first image read
      const { readImageFile } = await import('./read-image-file');
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
