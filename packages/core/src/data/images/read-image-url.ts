import { GraftError } from '../../errors/graft-error';
import { readBodyCapped } from '../../io/read-bounds';
import { withContext } from './error-context';

/**
 * The bytes of an image at `url` (fetch, in browsers and Node 18+): a network failure or a status other than 2xx
 * is LOAD_FAILED naming the URL; a body past `maxBytes` is FILE_TOO_LARGE, cancelled as soon as it passes.
 */
export async function fetchImageBytes(url: string, maxBytes: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new GraftError('LOAD_FAILED', `could not fetch image ${JSON.stringify(url)}: ${(e as Error).message}`, {
      url,
    });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new GraftError(
      'LOAD_FAILED',
      `expected image ${JSON.stringify(url)}, but the server answered ${res.status}`,
      {
        url,
        status: res.status,
      },
    );
  }
  try {
    return await readBodyCapped(res, maxBytes, 'the image', 'maxBytes');
  } catch (e) {
    if (e instanceof GraftError) throw withContext(e, `image ${JSON.stringify(url)}`);
    throw new GraftError('LOAD_FAILED', `reading image ${JSON.stringify(url)} failed: ${(e as Error).message}`, {
      url,
    });
  }
}

/** The bytes of a `Blob` or `File` (browsers, Node 20): one past `maxBytes` is refused unread (FILE_TOO_LARGE). */
export async function blobImageBytes(blob: Blob, name: string, maxBytes: number): Promise<Uint8Array> {
  if (blob.size > maxBytes) {
    throw new GraftError(
      'FILE_TOO_LARGE',
      `image ${name} is ${blob.size} bytes, above ${maxBytes} (maxBytes); nothing was read`,
      { path: name, size: blob.size, limit: maxBytes },
    );
  }
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (e) {
    // a File whose underlying file changed or vanished since it was picked: NotReadableError
    throw new GraftError('LOAD_FAILED', `could not read image ${name}: ${(e as Error).message}`, { path: name });
  }
}
