import { GraftError } from '@graftjs/core';
import type * as tf from '@tensorflow/tfjs-core';
import { tooLarge } from './file-source';
import { parseModelJson } from './model-json';
import { resolveSource } from './resolve-source';
import { sha256Hex } from './sha256';
import { type CatalogueEntry, DEFAULT_MAX_BYTES, type LoadOptions, type PublishedFile } from './types';

export interface VerifiedFiles {
  modelJson: tf.io.ModelJSON;
  /** Every published file by name, each one checked against the catalogue's size and SHA-256. */
  bytes: Map<string, Uint8Array>;
}

const PARALLEL_READS = 6;

/** Reads every file of `entry` (from options.from or the catalogue location) and verifies it. */
export async function readVerifiedFiles(entry: CatalogueEntry, options: LoadOptions = {}): Promise<VerifiedFiles> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(typeof maxBytes === 'number' && maxBytes > 0)) {
    throw new GraftError('INVALID_OPTION', `expected maxBytes to be a positive number; got ${String(maxBytes)}`);
  }
  const total = entry.files.reduce((s, f) => s + f.bytes, 0);
  if (total > maxBytes) throw tooLarge(entry.name, maxBytes, `${total} bytes in ${entry.files.length} files`);

  const source = await resolveSource(entry, options);
  const bytes = new Map<string, Uint8Array>();
  let modelJson: tf.io.ModelJSON | undefined;

  const verifyOne = async (file: PublishedFile) => {
    // Never read past the published size: a bigger file is not the published one, and reading it could exhaust memory.
    const data = await source.read(file, file.bytes);
    if (file.name === 'model.json') {
      modelJson = parseModelJson(data, entry);
    } else if (data.byteLength < file.bytes) {
      throw new GraftError(
        'WEIGHTS_TRUNCATED',
        `expected ${JSON.stringify(file.name)} from ${source.where} to hold ${file.bytes} bytes; got ${data.byteLength}`,
        { file: file.name, expected: file.bytes, actual: data.byteLength },
      );
    }
    const actual = await sha256Hex(data);
    if (actual !== file.sha256) {
      throw new GraftError(
        'CHECKSUM_MISMATCH',
        `expected ${JSON.stringify(file.name)} from ${source.where} to have SHA-256 ${file.sha256}; got ${actual}`,
        { file: file.name, expected: file.sha256, actual },
      );
    }
    bytes.set(file.name, data);
  };

  // model.json first: a file that is not a model stops the load before any shard is fetched.
  const [head, ...shards] = entry.files;
  await verifyOne(head);
  for (let i = 0; i < shards.length; i += PARALLEL_READS) {
    await Promise.all(shards.slice(i, i + PARALLEL_READS).map(verifyOne));
  }
  // Cache only once the whole set verified.
  if (source.keep) for (const file of entry.files) await source.keep(file, bytes.get(file.name) as Uint8Array);
  if (!modelJson) throw new GraftError('INVALID_MODEL_FILE', `expected ${entry.name} to list model.json first`);
  return { modelJson, bytes };
}
