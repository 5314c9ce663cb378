import type { BackendChoice, BackendEntry } from './entry';

/** What the backend registry holds: shared by its synchronous part and the switching code that loads on first use. */
export const registryState = {
  entries: new Map<string, BackendEntry>(),
  /** Backends whose init failed, with why: not probed again until registered anew. */
  failed: new Map<string, string>(),
  active: null as BackendChoice | null,
};
