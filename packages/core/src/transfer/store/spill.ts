/**
 * Where a feature store puts the chunks past its byte bound: numbered byte blocks, written once, read back in
 * order, all removed by `dispose` (Node: files in a temp folder; browsers: an IndexedDB database).
 */
export interface SpillTarget {
  /** The folder or database name, for inspection (tests, progress events). */
  readonly location: string;
  write(index: number, bytes: Uint8Array): Promise<void>;
  read(index: number): Promise<Uint8Array>;
  /** Removes every chunk and the folder or database itself; safe to call twice. */
  dispose(): Promise<void>;
}

/** A unique name for one store's spill: time, then random, so leftovers sort by age. */
export function spillName(): string {
  return `features-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Whether `name` is a spill (`features-<time>-...`, optionally prefixed) made more than a day ago. */
export function staleSpill(name: string, now = Date.now()): boolean {
  const m = name.match(/^(?:graft-)?features-([0-9a-z]+)-/);
  return m !== null && now - Number.parseInt(m[1], 36) > 24 * 3600 * 1000;
}
