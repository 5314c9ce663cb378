/** Messages between a stream's decode pool and its workers (Node worker threads; a browser pool may reuse them). */
export interface DecodeRequest {
  id: number;
  /** File paths to read, or with `bytes` the names of those bytes (for errors). */
  files: string[];
  /** Encoded images already read and checked (URLs, Blobs, iterable items), transferred; decoded as they are. */
  bytes?: ArrayBuffer[];
  maxPixels: number;
}

/** Decoded 8-bit RGB pixels, their buffer transferred. */
export interface DecodedTransfer {
  data: ArrayBuffer;
  width: number;
  height: number;
}

export type DecodeReply =
  | { id: number; images: DecodedTransfer[] }
  | { id: number; error: { code: string; message: string; details?: Record<string, unknown>; index: number } };
