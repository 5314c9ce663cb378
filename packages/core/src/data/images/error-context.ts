import { GraftError } from '../../errors/graft-error';

/** Re-throws a GraftError with `where` prefixed to its message (e.g. the file or batch index); the code stays the same. */
export function withContext(e: unknown, where: string): unknown {
  if (!(e instanceof GraftError)) return e;
  const bare = e.message.replace(/^\[[A-Z_]+\] /, '');
  return new GraftError(e.code, `${where}: ${bare}`, e.details);
}
