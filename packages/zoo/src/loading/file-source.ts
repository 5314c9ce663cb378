import { GraftError } from '@graftjs/core';
import type { PublishedFile } from './types';

/** Reads the published files of one weight set from somewhere (URL, folder, memory). */
export interface FileSource {
  /** For messages: where the files come from. */
  readonly where: string;
  /**
   * The bytes of `file`, reading no more than `limit` bytes (FILE_TOO_LARGE beyond it).
   * Throws WEIGHTS_MISSING when the file is not there.
   */
  read(file: PublishedFile, limit: number): Promise<Uint8Array>;
  /** Called with bytes that passed verification (the URL source caches them). */
  keep?(file: PublishedFile, bytes: Uint8Array): Promise<void>;
}

export function missing(file: string, where: string, why?: string): GraftError {
  return new GraftError(
    'WEIGHTS_MISSING',
    `expected weight file ${JSON.stringify(file)} at ${where}; it is not there${why ? ` (${why})` : ''}`,
    { file, where },
  );
}

export function tooLarge(file: string, limit: number, got: string): GraftError {
  return new GraftError('FILE_TOO_LARGE', `expected ${JSON.stringify(file)} to be at most ${limit} bytes; got ${got}`, {
    file,
    limit,
  });
}
