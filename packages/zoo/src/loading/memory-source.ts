import { GraftError } from '@graftjs/core';
import { type FileSource, missing, tooLarge } from './file-source';
import type { NamedBlob } from './types';

type Bytes = Uint8Array | ArrayBuffer;

function toBytes(x: Bytes): Uint8Array {
  return x instanceof Uint8Array ? x : new Uint8Array(x);
}

/** Files already in memory: a Map or record of name -> bytes. */
export function memorySource(files: Map<string, Bytes> | Record<string, Bytes>): FileSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  for (const [name, value] of map) {
    if (!(value instanceof Uint8Array) && !(value instanceof ArrayBuffer)) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected the bytes of ${JSON.stringify(name)} as a Uint8Array or ArrayBuffer`,
      );
    }
  }
  return {
    where: 'the given file map',
    async read(file, limit) {
      const value = map.get(file.name);
      if (value === undefined) throw missing(file.name, 'the given file map');
      const bytes = toBytes(value);
      if (bytes.byteLength > limit) throw tooLarge(file.name, limit, `${bytes.byteLength} bytes`);
      return bytes;
    },
  };
}

/** Browser `File`s (e.g. from <input type=file multiple>), matched by file name. */
export function blobSource(blobs: ArrayLike<NamedBlob>): FileSource {
  const byName = new Map<string, NamedBlob>();
  for (const blob of Array.from(blobs)) byName.set(blob.name, blob);
  return {
    where: 'the given files',
    async read(file, limit) {
      const blob = byName.get(file.name);
      if (!blob) throw missing(file.name, 'the given files');
      // File.size is known before reading, so an oversized file is never loaded into memory.
      if (typeof blob.size === 'number' && blob.size > limit) throw tooLarge(file.name, limit, `${blob.size} bytes`);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      if (bytes.byteLength > limit) throw tooLarge(file.name, limit, `${bytes.byteLength} bytes`);
      return bytes;
    },
  };
}
