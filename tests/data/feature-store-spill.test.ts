/**
 * The feature store on its own (transfer/store): chunks past the byte bound go to the spill target whole and
 * `readAll` returns every row in order; the browser spill (IndexedDB) against a small in-memory fake, since Node
 * has no IndexedDB: a database per store, deleted on dispose, leftovers older than a day deleted on the next open.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FeatureStore } from '../../packages/core/src/transfer/store/feature-store';
import { idbSpill } from '../../packages/core/src/transfer/store/idb-spill';
import { FakeIndexedDB } from '../helpers/fake-indexeddb';

const KEY = { base: 'b', listing: 'l' };
const rows = (from: number, n: number, width: number) =>
  Float32Array.from({ length: n * width }, (_, i) => from * width + i + 0.5);

describe('feature store', () => {
  it('keeps chunks in memory up to the bound, spills the rest, reads all back in order', async () => {
    const written: number[] = [];
    const spilled = new Map<number, Uint8Array>();
    let disposed = 0;
    const target = {
      location: 'fake',
      write: async (i: number, b: Uint8Array) => {
        written.push(i);
        spilled.set(i, b.slice());
      },
      read: async (i: number) => spilled.get(i) as Uint8Array,
      dispose: async () => {
        disposed++;
      },
    };
    const store = new FeatureStore(KEY, 3 * 2 * 4 + 1, async () => target); // 3 rows of 2 floats fit
    await store.append(rows(0, 2, 2), 2, [2]);
    await store.append(rows(2, 2, 2), 2, [2]); // 32 bytes > 25: spills
    await store.append(rows(4, 1, 2), 1, [2]); // 16 + 8 = 24 <= 25: memory
    await store.append(rows(5, 3, 2), 3, [2]);
    expect(written).toEqual([1, 3]);
    expect(store.stats()).toEqual({ rows: 8, memoryBytes: 24, spilledBytes: 40, location: 'fake' });
    expect(Array.from(await store.readAll())).toEqual(Array.from(rows(0, 8, 2)));
    expect(store.featureShape).toEqual([2]);
    await store.dispose();
    expect(disposed).toBe(1);
    expect(store.stats()).toEqual({ rows: 0, memoryBytes: 0, spilledBytes: 0, location: null });
  });

  it('with nowhere to spill keeps everything in memory', async () => {
    const store = new FeatureStore(KEY, 0, async () => null);
    await store.append(rows(0, 4, 3), 4, [3]);
    expect(store.stats()).toEqual({ rows: 4, memoryBytes: 48, spilledBytes: 0, location: null });
    expect(Array.from(await store.readAll())).toEqual(Array.from(rows(0, 4, 3)));
  });

  it('spills to IndexedDB in a database of its own, deleted on dispose; day-old leftovers go', async () => {
    const idb = new FakeIndexedDB();
    const old = `graft-features-${(Date.now() - 2 * 24 * 3600 * 1000).toString(36)}-leftover`;
    const recent = `graft-features-${Date.now().toString(36)}-othertab`;
    idb.open(old);
    idb.open(recent);
    idb.open('someone-else');
    const factory = idb as unknown as IDBFactory;
    const store = new FeatureStore(KEY, 0, () => idbSpill(factory));
    await store.append(rows(0, 32, 4), 32, [4]);
    await store.append(rows(32, 7, 4), 7, [4]);
    const name = store.stats().location as string;
    expect(name).toMatch(/^graft-features-[0-9a-z]+-[0-9a-z]+$/);
    expect([...idb.dbs.keys()].sort()).toEqual([name, recent, 'someone-else'].sort());
    expect(idb.dbs.get(name)?.get('chunks')?.size).toBe(2);
    expect(store.stats().spilledBytes).toBe(39 * 16);
    expect(Array.from(await store.readAll())).toEqual(Array.from(rows(0, 39, 4)));
    await store.dispose();
    expect([...idb.dbs.keys()].sort()).toEqual([recent, 'someone-else'].sort());
  });

  it('a Node spill folder a process did not dispose goes when the process exits', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'graft-spill-exit-'));
    try {
      const child = join(import.meta.dirname, '../helpers/spill-exit-child.ts');
      const args = ['--conditions=graft-source', '--import', 'tsx', child, cache];
      const { stdout } = await promisify(execFile)(process.execPath, args);
      const folder = stdout.trim().split('\n').at(-1) as string;
      expect(folder.startsWith(join(cache, 'features', 'features-'))).toBe(true);
      expect(existsSync(folder)).toBe(false);
      expect(readdirSync(join(cache, 'features'))).toEqual([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);
});
