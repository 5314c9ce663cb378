import { GraftError } from '../errors/graft-error';

/** Node: writes bytes to a temporary file beside `path`, flushes it to disk, then renames it over `path`. */
export async function writeFileAtomically(path: string, bytes: Uint8Array, what = 'the checkpoint'): Promise<void> {
  const fs = await import('node:fs/promises');
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
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
