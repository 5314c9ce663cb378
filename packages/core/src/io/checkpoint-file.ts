import { GraftError } from '../errors/graft-error';

let writes = 0;

/** Node: writes bytes to a temporary file beside `path`, flushes it to disk, then renames it over `path`. */
export async function writeFileAtomically(path: string, bytes: Uint8Array, what = 'the checkpoint'): Promise<void> {
  const fs = await import('node:fs/promises');
  // unique per write: two fits checkpointing to one path in the same millisecond never share a temp file
  const tmp = `${path}.tmp-${process.pid}-${++writes}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.write(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new GraftError('SAVE_FAILED', `could not write ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Node: a checkpoint file's bytes. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const fs = await import('node:fs/promises');
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch {
    throw new GraftError('LOAD_FAILED', `expected a checkpoint file at ${JSON.stringify(path)}, found none`);
  }
}

/**
 * Node: checks, before a fit trains, that a checkpoint can be written at `to` (its folder exists, it is not a folder
 * itself), so a wrong path fails before epoch 1 instead of after it. IndexedDB names need no check.
 */
export async function checkCheckpointTarget(to: string): Promise<void> {
  if (to.startsWith('indexeddb://')) return;
  const fs = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const folder = dirname(to);
  const isDir = await fs.stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new GraftError(
      'SAVE_FAILED',
      `expected checkpoint.to in an existing folder, got ${JSON.stringify(to)}: no folder ${JSON.stringify(folder)}`,
    );
  }
  const target = await fs.stat(to).catch(() => null);
  if (target?.isDirectory()) {
    throw new GraftError('SAVE_FAILED', `expected checkpoint.to as a file path, got the folder ${JSON.stringify(to)}`);
  }
}
