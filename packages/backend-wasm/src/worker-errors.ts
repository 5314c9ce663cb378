/**
 * Watches the page for a worker that fails to start. Emscripten rethrows a pthread worker's error on the
 * page (as the worker's ErrorEvent), which is how a threaded module whose worker script cannot run (e.g.
 * tfjs' threaded factory re-serialised from a minified bundle: "ReferenceError: e is not defined") shows
 * itself; without this the module waits for its workers forever.
 */
export function watchWorkerErrors(): { failed: Promise<string>; stop(): void } {
  const target = globalThis as Partial<EventTarget>;
  if (typeof target.addEventListener !== 'function' || typeof Event === 'undefined') {
    return { failed: new Promise<string>(() => undefined), stop: () => undefined };
  }
  let report: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => {
    report = resolve;
  });
  const onError = (event: Event) => {
    const thrown = (event as ErrorEvent).error;
    if (!(thrown instanceof Event)) return;
    event.preventDefault();
    report(`a threaded worker failed to start: ${(thrown as ErrorEvent).message || 'no message'}`);
  };
  target.addEventListener('error', onError);
  return { failed, stop: () => target.removeEventListener?.('error', onError) };
}
