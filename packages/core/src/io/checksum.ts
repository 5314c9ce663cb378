import { GraftError } from '../errors/graft-error';

/** Length of the SHA-256 digest a checkpoint ends with. */
export const DIGEST_BYTES = 32;

/** SHA-256 of `bytes` (32 raw bytes) through Web Crypto, which Node 20 and every browser have. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      'expected Web Crypto (crypto.subtle) for checkpoint checksums; none here',
    );
  }
  return new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Whether `bytes` end with the SHA-256 of everything before it. */
export async function digestMatches(bytes: Uint8Array): Promise<boolean> {
  if (bytes.byteLength < DIGEST_BYTES) return false;
  const body = bytes.subarray(0, bytes.byteLength - DIGEST_BYTES);
  const want = bytes.subarray(bytes.byteLength - DIGEST_BYTES);
  const got = await sha256(body);
  return got.every((b, i) => b === want[i]);
}
