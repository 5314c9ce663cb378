const line = () => document.getElementById('status');

/** One status line at the bottom of the page; errors are marked so they stand out (and tests can find them). */
export function status(text: string, kind: 'info' | 'error' = 'info'): void {
  const node = line();
  if (!node) return;
  node.textContent = text;
  node.dataset.kind = kind;
}

/** Runs an action, reporting its failure on the status line instead of an unhandled rejection. */
export async function guarded(what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    status(`${what} failed: ${(e as Error).message}`, 'error');
    console.warn(e);
  }
}
