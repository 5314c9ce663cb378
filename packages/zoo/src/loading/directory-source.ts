import { GraftError } from '@graftjs/core';
import { type FileSource, missing, tooLarge } from './file-source';

/** A local folder holding model.json and its shards (Node only). */
export function directorySource(dir: string): FileSource {
  return {
    where: dir,
    async read(file, limit) {
      const fs = await import('node:fs/promises');
      const path = await import('node:path');
      // Catalogue names only (never names taken from model.json), so no path can leave `dir`.
      const full = path.join(dir, file.name);
      let size: number;
      try {
        const st = await fs.stat(full);
        if (!st.isFile()) throw missing(file.name, dir, 'not a regular file');
        size = st.size;
      } catch (e) {
        if (e instanceof GraftError) throw e;
        throw missing(file.name, dir, (e as NodeJS.ErrnoException).code);
      }
      if (size > limit) throw tooLarge(file.name, limit, `${size} bytes`);
      const bytes = new Uint8Array(await fs.readFile(full));
      if (bytes.byteLength > limit) throw tooLarge(file.name, limit, `${bytes.byteLength} bytes`);
      return bytes;
    },
  };
}
