import type { SpillTarget } from './spill';
import { spillName, staleSpill } from './spill';

const CHUNKS = 'chunks';

function settle<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * A spill database `graft-features-<time>-<random>` with one object store of chunks keyed by index; `dispose`
 * deletes the database. A page closed mid-pass leaves its database behind: the next store opened in that origin
 * deletes such leftovers older than a day (where `indexedDB.databases()` exists).
 */
export async function idbSpill(idb: IDBFactory): Promise<SpillTarget> {
  await removeStale(idb);
  const name = `graft-${spillName()}`;
  const open = idb.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(CHUNKS);
  const db = await settle(open);
  let closed = false;
  return {
    location: name,
    async write(i, bytes) {
      const tx = db.transaction(CHUNKS, 'readwrite');
      tx.objectStore(CHUNKS).put(bytes, i);
      await done(tx);
    },
    async read(i) {
      const got = await settle(db.transaction(CHUNKS, 'readonly').objectStore(CHUNKS).get(i));
      if (!(got instanceof Uint8Array)) throw new Error(`spilled chunk ${i} is missing from ${name}`);
      return got;
    },
    async dispose() {
      if (closed) return;
      closed = true;
      db.close();
      await settle(idb.deleteDatabase(name) as IDBRequest<unknown>);
    },
  };
}

async function removeStale(idb: IDBFactory): Promise<void> {
  if (typeof idb.databases !== 'function') return;
  const all = await idb.databases();
  for (const { name } of all) if (name?.startsWith('graft-') && staleSpill(name)) idb.deleteDatabase(name);
}
