import { GraftError } from '../../errors/graft-error';

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

// Specifiers kept in variables so browser bundlers do not try to pull in Node's fs.
const FS = 'node:fs/promises';
const PATH = 'node:path';

/** Node's fs/promises and path, loaded on first use; a clear error where they do not exist (browsers). */
export async function loadNodeFs(): Promise<{ fs: NodeFs; path: NodePath }> {
  try {
    // Browsers would try to fetch "node:fs/promises" as a URL; fail fast and quietly instead.
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    if (!proc?.versions?.node) throw new Error('not running in Node');
    const [fs, path] = await Promise.all([import(/* @vite-ignore */ FS), import(/* @vite-ignore */ PATH)]);
    return { fs: fs as NodeFs, path: path as NodePath };
  } catch (e) {
    throw new GraftError(
      'LOAD_FAILED',
      `reading images from a file path needs Node's fs, which is not available here (${(e as Error).message}); in a browser pass an HTMLImageElement, a canvas, ImageData or the file's bytes`,
    );
  }
}

/** Message fragment for a failed fs call: "no such file or directory" rather than a stack of libuv codes. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'it does not exist';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'permission denied';
  if (err?.code === 'EISDIR') return 'it is a folder, not a file';
  if (err?.code === 'ENOTDIR') return 'it is a file, not a folder';
  return err?.message ?? String(e);
}
