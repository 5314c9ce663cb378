import { isNode } from '../env/runtime';
import { describe, GraftError } from '../errors/graft-error';

// The checks fit() runs before it starts, apart from the checkpoint codec (checkpoint.ts), which loads when a
// checkpoint is first written or read.
const IDB_SCHEME = 'indexeddb://';

function hasIndexedDb(): boolean {
  return typeof globalThis.indexedDB?.open === 'function';
}

export interface CheckpointOptions {
  /**
   * Where to write: a file path in Node (written to a temporary file, then renamed over it), or
   * `indexeddb://name` in browsers and workers (one IndexedDB transaction). Either way a crash mid-write leaves the
   * previous checkpoint whole.
   */
  to: string;
  /** Write every this many epochs (default 1). */
  every?: number;
}

export function checkCheckpointOptions(c: unknown): asserts c is CheckpointOptions {
  const o = c as CheckpointOptions;
  if (typeof o !== 'object' || o === null || typeof o.to !== 'string' || o.to.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected checkpoint: { to: 'path' or 'indexeddb://name', every? }, got ${describe(c)}`,
    );
  }
  if (o.every !== undefined && !(Number.isInteger(o.every) && o.every > 0)) {
    throw new GraftError('INVALID_OPTION', `expected checkpoint.every as a positive integer, got ${describe(o.every)}`);
  }
  checkpointLocation(o.to, 'checkpoint.to');
}

export type CheckpointLocation = { kind: 'file'; path: string } | { kind: 'indexeddb'; name: string };

/** Where a checkpoint string points, or a GraftError when this runtime cannot store there. */
export function checkpointLocation(
  to: unknown,
  option: 'checkpoint.to' | 'resume' | 'the checkpoint location',
): CheckpointLocation {
  if (typeof to !== 'string' || to.length === 0) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${option} as a file path or 'indexeddb://name', got ${describe(to)}`,
    );
  }
  if (to.startsWith(IDB_SCHEME)) {
    const name = to.slice(IDB_SCHEME.length);
    if (name.length === 0) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected ${option} as 'indexeddb://name' with a name, got ${JSON.stringify(to)}`,
      );
    }
    if (!hasIndexedDb()) {
      throw new GraftError(
        'UNSUPPORTED_TARGET',
        `${option} ${JSON.stringify(to)} needs IndexedDB, which this runtime lacks (Node: use a file path)`,
      );
    }
    return { kind: 'indexeddb', name };
  }
  if (!isNode) {
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      `${option} ${JSON.stringify(to)} is a file path, which needs Node; in browsers use 'indexeddb://name'`,
    );
  }
  return { kind: 'file', path: to };
}
