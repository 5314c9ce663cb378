/**
 * Settles with `work`, or rejects after `ms` or as soon as `abort` gives a reason (the registry turns the
 * rejection into BACKEND_INIT_FAILED). A late rejection of `work` is swallowed: the caller has moved on.
 */
export function bounded<T>(work: Promise<T>, ms: number, what: string, abort?: Promise<string>): Promise<T> {
  work.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${ms} ms (env.backends.wasm.initTimeoutMs)`)),
      ms,
    );
  });
  const aborted = abort?.then((reason) => {
    throw new Error(`${what} failed: ${reason}`);
  });
  return Promise.race([work, late, ...(aborted ? [aborted] : [])]).finally(() => clearTimeout(timer));
}

/** The message of whatever an init rejected with (tfjs rejects with plain `{ message }` objects). */
export function reasonOf(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(e);
}
