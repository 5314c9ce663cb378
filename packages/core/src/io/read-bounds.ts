import { describe, GraftError } from '../errors/graft-error';

/** Default bound on the weight bytes one model may declare and read: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 ** 31;

/** Bound on a model.json file, read before anything in it is known. */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;

/** Checks a `maxBytes` option: a positive number of bytes (Infinity for no bound); NaN or a string is refused. */
export function checkMaxBytes(value: unknown, name = 'maxBytes'): number {
  if (value === undefined) return DEFAULT_MAX_BYTES;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new GraftError('INVALID_OPTION', `expected ${name} as a positive number of bytes, got ${describe(value)}`, {
      option: name,
    });
  }
  return value;
}

/** Refuses `size` bytes of `what` when above `limit`, before they are read. */
export function checkReadSize(size: number, limit: number, what: string, why: string): void {
  if (size > limit) {
    throw new GraftError('FILE_TOO_LARGE', `${what} is ${size} bytes, above ${limit} (${why}); nothing was read`, {
      size,
      limit,
    });
  }
}

/**
 * Reads a fetch response body, refusing it as soon as it passes `limit` bytes (a Content-Length above it is
 * refused before the body is read at all).
 */
export async function readBodyCapped(res: Response, limit: number, what: string, why: string): Promise<Uint8Array> {
  const declared = Number(res.headers?.get?.('content-length'));
  if (Number.isFinite(declared)) checkReadSize(declared, limit, what, why);
  if (!res.body) {
    const all = new Uint8Array(await res.arrayBuffer());
    checkReadSize(all.byteLength, limit, what, why);
    return all;
  }
  const read = await readStreamCapped(res.body, limit);
  if (read.bytes === null) checkReadSize(read.total, limit, what, why);
  return read.bytes as Uint8Array;
}

/**
 * A stream's bytes, or `bytes: null` once they pass `limit` (the stream is cancelled there, so no more is
 * downloaded; `total` is what had arrived). Callers say what "too large" means for them.
 */
export async function readStreamCapped(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ bytes: Uint8Array | null; total: number }> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return { bytes: null, total };
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return { bytes: out, total };
}
