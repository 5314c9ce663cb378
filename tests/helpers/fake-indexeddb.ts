/**
 * A small in-memory IndexedDB for Node tests of the browser spill: databases of object stores keyed by value,
 * requests that succeed on a later tick (as IndexedDB's do), transactions that complete after their requests,
 * stored values copied (structured clone of a Uint8Array). Only what idb-spill.ts uses; not a general fake.
 */
type Stores = Map<string, Map<unknown, unknown>>;

interface FakeRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
  onupgradeneeded?: (() => void) | null;
}

function request<T>(work: () => T, before?: (r: FakeRequest<T>) => void): FakeRequest<T> {
  const r: FakeRequest<T> = { result: undefined as T, error: null, onsuccess: null, onerror: null };
  setTimeout(() => {
    try {
      r.result = work();
      before?.(r);
      r.onsuccess?.();
    } catch (e) {
      r.error = e;
      r.onerror?.();
    }
  }, 0);
  return r;
}

export class FakeIndexedDB {
  readonly dbs = new Map<string, Stores>();

  open(name: string): FakeRequest<unknown> {
    const fresh = !this.dbs.has(name);
    if (fresh) this.dbs.set(name, new Map());
    const stores = this.dbs.get(name) as Stores;
    const db = {
      createObjectStore: (s: string) => stores.set(s, new Map()),
      close: () => {},
      transaction: (s: string) => transaction(stores, s),
    };
    return request(
      () => db,
      (r) => fresh && r.onupgradeneeded?.(),
    );
  }

  deleteDatabase(name: string): FakeRequest<undefined> {
    return request(() => {
      this.dbs.delete(name);
      return undefined;
    });
  }

  async databases(): Promise<{ name: string; version: number }[]> {
    return [...this.dbs.keys()].map((name) => ({ name, version: 1 }));
  }
}

function transaction(stores: Stores, name: string) {
  const tx = { oncomplete: null as (() => void) | null, onerror: null, onabort: null, objectStore: () => store };
  const table = stores.get(name);
  if (!table) throw new Error(`no object store ${name}`);
  const store = {
    put: (value: Uint8Array, key: unknown) => request(() => table.set(key, new Uint8Array(value))),
    get: (key: unknown) => request(() => table.get(key)),
  };
  setTimeout(() => setTimeout(() => tx.oncomplete?.(), 0), 0);
  return tx;
}
