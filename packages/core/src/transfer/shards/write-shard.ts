import type { ImageStream } from '../../data/images/image-stream';
import { loadNodeFs } from '../../data/images/node-fs';
import { describe, GraftError } from '../../errors/graft-error';
import { FeatureStore } from '../store/feature-store';
import { fillStore, refuseStream, streamRefusal } from '../stream-features';
import type { TransferModel } from '../transfer-model';
import { encodeShard, type ShardHeader } from './shard-format';

export interface FeatureShardOptions {
  /** Which shard this is, 0 .. of-1: rows [floor(shard * n / of), floor((shard + 1) * n / of)) of the stream. */
  shard: number;
  /** How many shards the stream is cut into. */
  of: number;
  /** Checked between batches: an abort rejects with ABORTED and writes nothing. */
  signal?: AbortSignal;
  /** Called after each batch with the images done of this shard's. */
  onProgress?: (done: number, total: number) => void;
}

function checkShardOptions(o: FeatureShardOptions, size: number): void {
  const of = o?.of;
  if (!Number.isInteger(of) || of < 1 || of > size) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected \`of\` to be an integer in [1, ${size}] (the images), got ${describe(of)}`,
    );
  }
  if (!Number.isInteger(o.shard) || o.shard < 0 || o.shard >= of) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected \`shard\` to be an integer in [0, ${of - 1}], got ${describe(o.shard)}`,
    );
  }
}

/**
 * Runs shard `shard` of `of` of a streamed listing through `model`'s frozen base and writes its features to `path`
 * (the format in docs/scale.md), so many processes can each write one and a head fit reads them all with
 * `fromFeatureShards`. The file appears whole or not at all (written under a temporary name, then renamed).
 * Resolves to the shard's header. Node only.
 */
export async function writeFeatureShard(
  model: TransferModel,
  stream: ImageStream,
  path: string,
  options: FeatureShardOptions,
): Promise<ShardHeader> {
  checkShardOptions(options, stream.size);
  const { fs } = await loadNodeFs();
  const stage = model.featureStage();
  const refusal = streamRefusal(stage.frozen, true);
  if (refusal) refuseStream(refusal);
  const base = { name: model.backbone.name, fingerprint: await stage.contentFingerprint() };
  const { shard: index, of } = options;
  const [start, end] = [Math.floor((index * stream.size) / of), Math.floor(((index + 1) * stream.size) / of)];
  const part = stream.take(Array.from({ length: end - start }, (_, i) => start + i));
  const listing = await stream.identity();
  const store = new FeatureStore({ base: base.fingerprint, listing });
  try {
    const report = (_batch: number, done: number) => options.onProgress?.(done, part.size);
    await fillStore(part, store, (rows) => stage.extract(rows), report, options.signal);
    const header = {
      base,
      preprocessing: stage.preprocessing ?? null,
      featureShape: store.featureShape ?? [],
      dtype: 'float32' as const,
      rows: part.size,
      classNames: [...stream.classNames],
      files: [...part.files],
      shard: { index, of, start, total: stream.size },
      listing,
    };
    const { bytes, header: written } = await encodeShard(header, await store.readAll(), Int32Array.from(part.labels));
    const partial = `${path}.partial-${Math.random().toString(36).slice(2, 10)}`;
    try {
      await fs.writeFile(partial, bytes);
      await fs.rename(partial, path);
    } catch (e) {
      await fs.rm(partial, { force: true });
      throw new GraftError('SAVE_FAILED', `could not write feature shard ${path}: ${(e as Error).message}`, { path });
    }
    return written;
  } finally {
    await store.dispose();
  }
}
