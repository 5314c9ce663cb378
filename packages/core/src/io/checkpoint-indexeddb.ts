import { GraftError } from '../errors/graft-error';

/** One database for every graft checkpoint in an origin; one record per checkpoint name. */
const DB_NAME = 'graft-checkpoints';
const STORE = 'checkpoints';

interface CheckpointRecord {
  name: string;
  epoch: number;
  writtenAt: number;
  bytes: ArrayBuffer;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'name' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`the ${DB_NAME} database is blocked by another tab holding an old version`));
  });
}

/**
 * Replaces the record `name` in one readwrite transaction. IndexedDB commits a transaction whole or not at all, so a
 * tab closed or crashed mid-write keeps the previous checkpoint. Resolves when the transaction has committed.
 */
export async function putCheckpointBytes(name: string, bytes: Uint8Array, epoch: number): Promise<void> {
  let db: IDBDatabase | undefined;
  try {
    db = await openDb();
    const tx = db.transaction(STORE, 'readwrite');
    // the structured clone stores a whole ArrayBuffer: copy only a view of part of one
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const buffer = (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
    const record: CheckpointRecord = { name, epoch, writtenAt: Date.now(), bytes: buffer };
    tx.objectStore(STORE).put(record);
    await committed(tx);
  } catch (e) {
    throw new GraftError(
      'SAVE_FAILED',
      `could not write the checkpoint indexeddb://${name}: ${(e as Error)?.message ?? String(e)}`,
    );
  } finally {
    db?.close();
  }
}

/** The bytes of checkpoint `name`, or LOAD_FAILED when there is none. */
export async function getCheckpointBytes(name: string): Promise<Uint8Array> {
  let db: IDBDatabase | undefined;
  let record: CheckpointRecord | undefined;
  try {
    db = await openDb();
    const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(name);
    record = await new Promise<CheckpointRecord | undefined>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result as CheckpointRecord | undefined);
      req.onerror = () => reject(req.error);
    });
  } catch (e) {
    throw new GraftError(
      'LOAD_FAILED',
      `could not read the checkpoint indexeddb://${name}: ${(e as Error)?.message ?? String(e)}`,
    );
  } finally {
    db?.close();
  }
  if (!record || !(record.bytes instanceof ArrayBuffer)) {
    throw new GraftError('LOAD_FAILED', `expected a checkpoint at indexeddb://${name}, found none`);
  }
  return new Uint8Array(record.bytes);
}

/** Deletes checkpoint `name` (no error when there is none). */
export async function deleteCheckpointRecord(name: string): Promise<void> {
  let db: IDBDatabase | undefined;
  try {
    db = await openDb();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(name);
    await committed(tx);
  } catch (e) {
    throw new GraftError(
      'SAVE_FAILED',
      `could not delete the checkpoint indexeddb://${name}: ${(e as Error)?.message ?? String(e)}`,
    );
  } finally {
    db?.close();
  }
}

/** Resolves when a readwrite transaction has committed; rejects when it fails or aborts. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}
