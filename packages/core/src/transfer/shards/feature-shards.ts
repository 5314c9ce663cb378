import { fsReason, loadNodeFs } from '../../data/images/node-fs';
import { featureShardSets } from '../../data/source-brands';
import { describe, GraftError } from '../../errors/graft-error';
import { decodeShard, type ShardContent, type ShardHeader } from './shard-format';

/**
 * Base features read from shard files (`fromFeatureShards`), joined in shard order: what `fit` on a transfer model
 * with the same base (checked by content fingerprint) trains its head on, exactly as on features of one pass over
 * the whole listing. Holds no tensors: nothing to dispose.
 */
export class FeatureShards {
  /** @internal */
  constructor(
    /** The shard files, in shard order. */
    readonly files: readonly string[],
    /** The base that computed the features (name, content fingerprint) and its preprocessing. */
    readonly base: ShardHeader['base'],
    readonly preprocessing: ShardHeader['preprocessing'],
    readonly featureShape: readonly number[],
    readonly classNames: readonly string[],
    readonly labels: readonly number[],
    /** The images of the rows, in row order. */
    readonly images: readonly string[],
    private readonly values: Float32Array,
  ) {
    featureShardSets.mark(this);
  }

  get size(): number {
    return this.labels.length;
  }

  /** @internal The feature rows, row-major. */
  features(): Float32Array {
    return this.values;
  }
}

function mismatch(a: ShardContent, b: ShardContent, what: string, left: unknown, right: unknown): never {
  throw new GraftError(
    'FEATURE_SHARD_MISMATCH',
    `feature shards ${a.file} and ${b.file} do not join: ${what} differ (${JSON.stringify(left)} vs ${JSON.stringify(right)})`,
    { files: [a.file, b.file], field: what },
  );
}

/** Every shard against the first: same base, preprocessing, feature shape, classes, listing and shard count. */
function checkAgree(shards: ShardContent[]): void {
  const [first] = shards;
  const fields: [string, (h: ShardHeader) => unknown][] = [
    ['base fingerprints', (h) => h.base.fingerprint],
    ['preprocessings', (h) => h.preprocessing],
    ['feature shapes', (h) => h.featureShape],
    ['class names', (h) => h.classNames],
    ['listings (the images they were cut from)', (h) => h.listing],
    ['shard counts', (h) => h.shard.of],
  ];
  for (const s of shards.slice(1)) {
    for (const [what, read] of fields) {
      const [x, y] = [JSON.stringify(read(first.header)), JSON.stringify(read(s.header))];
      if (x !== y) mismatch(first, s, what, read(first.header), read(s.header));
    }
  }
}

/** Shards sorted by index, which must be 0 .. of-1, each once. */
function inOrder(shards: ShardContent[]): ShardContent[] {
  const sorted = [...shards].sort((a, b) => a.header.shard.index - b.header.shard.index);
  const of = sorted[0].header.shard.of;
  sorted.forEach((s, i) => {
    if (i > 0 && s.header.shard.index === sorted[i - 1].header.shard.index) {
      mismatch(sorted[i - 1], s, 'shards', `shard ${s.header.shard.index}`, `shard ${s.header.shard.index} again`);
    }
  });
  const missing = Array.from({ length: of }, (_, i) => i).filter(
    (i) => !sorted.some((s) => s.header.shard.index === i),
  );
  if (missing.length > 0 || sorted.length !== of) {
    throw new GraftError(
      'FEATURE_SHARD_MISMATCH',
      `expected all ${of} shards of the listing, got ${sorted.length} (${shards.map((s) => s.file).join(', ')}); missing shard ${missing.join(', ')}`,
      { files: shards.map((s) => s.file), missing },
    );
  }
  return sorted;
}

/**
 * Reads feature shard files written by `writeFeatureShard` (Node) and joins them in shard order (not in the order
 * given or finished), after checking each file (FEATURE_SHARD_INVALID, CHECKSUM_MISMATCH) and that they are the
 * complete set of one listing under one base (FEATURE_SHARD_MISMATCH, naming both files).
 */
export async function fromFeatureShards(paths: readonly string[]): Promise<FeatureShards> {
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string')) {
    throw new GraftError('INVALID_DATA', `expected a non-empty array of shard file paths, got ${describe(paths)}`);
  }
  const { fs } = await loadNodeFs();
  const read = async (file: string) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await fs.readFile(file));
    } catch (e) {
      throw new GraftError('LOAD_FAILED', `could not read feature shard ${file}: ${fsReason(e)}`, { file });
    }
    return decodeShard(bytes, file);
  };
  const shards: ShardContent[] = [];
  for (const p of paths) shards.push(await read(p));
  checkAgree(shards);
  const sorted = inOrder(shards);
  const width = sorted[0].header.featureShape.reduce((a, b) => a * b, 1);
  const rows = sorted.reduce((a, s) => a + s.header.rows, 0);
  const values = new Float32Array(rows * width);
  let at = 0;
  for (const s of sorted) {
    values.set(s.features, at);
    at += s.features.length;
  }
  const { base, preprocessing, featureShape, classNames } = sorted[0].header;
  const labels = sorted.flatMap((s) => Array.from(s.labels));
  const images = sorted.flatMap((s) => s.header.files);
  const files = sorted.map((s) => s.file);
  return new FeatureShards(files, base, preprocessing, featureShape, classNames, labels, images, values);
}
