import { env } from '../../env/env';
import { log } from '../../env/log';
import { describe, GraftError } from '../../errors/graft-error';
import { idbSpill } from './idb-spill';
import type { SpillTarget } from './spill';

/** What a store holds, for progress events and tests. */
export interface FeatureStoreStats {
  /** Feature rows stored so far. */
  rows: number;
  /** Bytes held in memory (at most the bound, plus nothing: a chunk past it goes to the spill whole). */
  memoryBytes: number;
  /** Bytes written to the spill folder or database. */
  spilledBytes: number;
  /** The spill folder (Node) or IndexedDB database name (browsers); null while nothing spilled. */
  location: string | null;
}

/** The byte bound in effect: `env.featureStore.maxBytes`, checked. */
export function storeBound(): number {
  const max = env.featureStore?.maxBytes;
  if (typeof max !== 'number' || Number.isNaN(max) || max < 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected env.featureStore.maxBytes to be a number of bytes >= 0 (Infinity: never spill), got ${describe(max)}`,
    );
  }
  return max;
}

/** Node: a temp folder under the cache dir; browsers: IndexedDB; elsewhere none (the store stays in memory). */
async function defaultSpill(): Promise<SpillTarget | null> {
  if (env.runtime.isNode) return (await import('./node-spill')).nodeSpill();
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  return idb ? idbSpill(idb) : null;
}

/**
 * Feature rows of one pass, appended a batch (chunk) at a time as float32 bytes (no tensors). Chunks stay in
 * memory while the total is within `maxBytes`; each chunk past it is written to a spill target whole. `readAll`
 * joins them in order. Held across an aborted fit so the pass can resume; `dispose` removes the spill.
 */
export class FeatureStore {
  private readonly chunks: (Float32Array | null)[] = [];
  private spill: SpillTarget | null = null;
  private noSpill = false;
  private shape: number[] | null = null;
  private counts = { rows: 0, memoryBytes: 0, spilledBytes: 0 };

  constructor(
    /** What the rows depend on: a store is resumed only under the same key. */
    readonly key: { base: string; listing: string },
    readonly maxBytes = storeBound(),
    private readonly openSpill: () => Promise<SpillTarget | null> = defaultSpill,
  ) {}

  get rows(): number {
    return this.counts.rows;
  }

  /** Shape of one feature row, known after the first chunk. */
  get featureShape(): number[] | null {
    return this.shape ? [...this.shape] : null;
  }

  stats(): FeatureStoreStats {
    return { ...this.counts, location: this.spill?.location ?? null };
  }

  /** Appends `values` (`rows` feature rows of `featureShape`, row-major). */
  async append(values: Float32Array, rows: number, featureShape: number[]): Promise<void> {
    this.shape ??= [...featureShape];
    const index = this.chunks.length;
    const bytes = values.byteLength;
    if (this.counts.memoryBytes + bytes > this.maxBytes && (await this.target())) {
      await this.spill?.write(index, new Uint8Array(values.buffer, values.byteOffset, bytes));
      this.chunks.push(null);
      this.counts.spilledBytes += bytes;
    } else {
      this.chunks.push(values);
      this.counts.memoryBytes += bytes;
    }
    this.counts.rows += rows;
  }

  /** Every row in order, in one new array (the spilled chunks read back). */
  async readAll(): Promise<Float32Array> {
    const width = (this.shape ?? []).reduce((a, b) => a * b, 1);
    const out = new Float32Array(this.counts.rows * width);
    const outBytes = new Uint8Array(out.buffer);
    let at = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      const bytes = chunk
        ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : await this.spill?.read(i);
      if (!bytes) throw new Error(`feature chunk ${i} is missing`);
      outBytes.set(bytes, at);
      at += bytes.byteLength;
    }
    return out;
  }

  /** Frees the chunks in memory and removes the spill. */
  async dispose(): Promise<void> {
    this.chunks.length = 0;
    this.counts = { rows: 0, memoryBytes: 0, spilledBytes: 0 };
    const spill = this.spill;
    this.spill = null;
    await spill?.dispose();
  }

  /** The spill target, opened on first need; null (and a warning, once) where there is nowhere to spill. */
  private async target(): Promise<SpillTarget | null> {
    if (this.spill || this.noSpill) return this.spill;
    this.spill = await this.openSpill();
    if (!this.spill) {
      this.noSpill = true;
      log.warn(
        'features past env.featureStore.maxBytes stay in memory: neither Node nor IndexedDB is here to spill to',
      );
    }
    return this.spill;
  }
}
