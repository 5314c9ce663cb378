import { describe, env, GraftError } from '@graftjs/core';

/** Bytes as given, a URL fetched, or (in Node) a file path read. */
export async function loadBytes(
  src: Uint8Array | ArrayBuffer | string | URL,
  kind = 'ONNX model',
): Promise<{ bytes: Uint8Array; what: string }> {
  if (src instanceof Uint8Array) return { bytes: src, what: 'the given bytes' };
  if (src instanceof ArrayBuffer) return { bytes: new Uint8Array(src), what: 'the given bytes' };
  const isUrl = src instanceof URL || (typeof src === 'string' && /^(https?|blob|data):/i.test(src));
  if (isUrl || (typeof src === 'string' && !env.runtime.isNode)) {
    const url = String(src);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new GraftError('LOAD_FAILED', `could not fetch ${kind} from ${url}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new GraftError('LOAD_FAILED', `fetching ${kind} from ${url} answered HTTP ${res.status}`);
    return { bytes: new Uint8Array(await res.arrayBuffer()), what: url };
  }
  if (typeof src !== 'string' || src.length === 0) {
    throw new GraftError('INVALID_OPTION', `expected ${kind} bytes, a file path or a URL, got ${describe(src)}`);
  }
  const { readFile } = await import('node:fs/promises');
  try {
    return { bytes: new Uint8Array(await readFile(src)), what: src };
  } catch (e) {
    throw new GraftError('LOAD_FAILED', `could not read ${kind} file ${src}: ${(e as Error).message}`);
  }
}
