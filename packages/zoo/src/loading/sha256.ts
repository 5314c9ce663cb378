import { GraftError } from '@graftjs/core';

/** SHA-256 of `bytes` as lower-case hex, through Web Crypto (Node 20 and every browser have it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new GraftError('LOAD_FAILED', 'expected Web Crypto (crypto.subtle) to verify weights; this runtime has none');
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
