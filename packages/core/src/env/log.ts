import { env, type LogLevel } from './env';

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

/**
 * The one place graft writes to the console: each message prints only when `env.logLevel` admits its level,
 * prefixed with "[graft]" so an app can tell graft's lines from its own.
 */
function write(level: Exclude<LogLevel, 'silent'>, message: string, ...details: unknown[]): void {
  const threshold = RANK[env.logLevel] ?? RANK.warn;
  if (RANK[level] > threshold) return;
  const sink = level === 'debug' ? console.debug : console[level];
  sink(`[graft] ${message}`, ...details);
}

export const log = {
  error: (message: string, ...details: unknown[]) => write('error', message, ...details),
  warn: (message: string, ...details: unknown[]) => write('warn', message, ...details),
  info: (message: string, ...details: unknown[]) => write('info', message, ...details),
  debug: (message: string, ...details: unknown[]) => write('debug', message, ...details),
};
