/**
 * Every stable error code graft throws. Codes never change meaning once published;
 * docs/errors.md lists cause and fix for each.
 */
export const ERROR_CODES = [
  // data
  'INVALID_DATA',
  'EMPTY_DATA',
  'SHAPE_MISMATCH',
  'LENGTH_MISMATCH',
  'NON_FINITE_VALUE',
  'INVALID_LABEL',
  'LABEL_OUT_OF_RANGE',
  'UNKNOWN_CLASS',
  'INVALID_IMAGE',
  'UNSUPPORTED_IMAGE_FORMAT',
  'CHANNEL_MISMATCH',
  'IMAGE_TOO_LARGE',
  'INDEX_OUT_OF_RANGE',
  'EMPTY_TEXT',
  'NO_EXAMPLES',
  'TEXT_TOO_LONG',
  'STREAM_UNSUPPORTED',
  'FEATURE_SHARD_INVALID',
  'FEATURE_SHARD_MISMATCH',
  // options and building
  'INVALID_OPTION',
  'INVALID_LAYER',
  'NOT_BUILT',
  'INCOMPATIBLE_LOSS',
  'UNKNOWN_OPTIMIZER',
  'UNKNOWN_LOSS',
  'UNKNOWN_ACTIVATION',
  'NOT_ADAPTED',
  'NO_CONV_LAYER',
  // training
  'FIT_IN_PROGRESS',
  'MODEL_DISPOSED',
  'NON_FINITE_LOSS',
  'ABORTED',
  // transfer
  'UNKNOWN_LAYER',
  'UNFREEZE_OUT_OF_RANGE',
  'INVALID_HEAD',
  'GRAPH_MODEL_NOT_TRAINABLE',
  'INVALID_BASE',
  'BASE_REQUIRED',
  // zoo and loading
  'UNKNOWN_BACKBONE',
  'CHECKSUM_MISMATCH',
  'WEIGHTS_MISSING',
  'WEIGHTS_TRUNCATED',
  'INVALID_MODEL_FILE',
  'FILE_TOO_LARGE',
  'LOAD_FAILED',
  'SAVE_FAILED',
  'UNSUPPORTED_TARGET',
  // backends
  'UNKNOWN_BACKEND',
  'BACKEND_UNAVAILABLE',
  'BACKEND_INIT_FAILED',
  'BACKEND_CANNOT_TRAIN',
  'BACKEND_SWITCH_DURING_FIT',
  'WORKER_TIMEOUT',
  // export formats
  'UNKNOWN_EXPORT_FORMAT',
] as const;

/**
 * Codes an adapter adds for failures of its own format (a file it cannot read, a layer it cannot export), so
 * core's list names no adapter. Declared by merging, and registered at run time with `registerErrorCodes`:
 *
 * ```ts
 * declare module '@graftjs/core' { interface AdapterErrorCodes { MYFORMAT_INVALID_FILE: true } }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by adapters through declaration merging
export interface AdapterErrorCodes {}

export type GraftErrorCode = (typeof ERROR_CODES)[number] | (keyof AdapterErrorCodes & string);

const adapterCodes = new Set<string>();

/** Adds an adapter's codes (UPPER_SNAKE_CASE) to `errorCodes()`; checked whole before any is added. */
export function registerErrorCodes(codes: readonly (keyof AdapterErrorCodes & string)[]): void {
  for (const code of codes) {
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code)) {
      throw new GraftError('INVALID_OPTION', `expected error codes in UPPER_SNAKE_CASE, got ${describe(code)}`);
    }
  }
  for (const code of codes) adapterCodes.add(code);
}

/** Core's codes and every registered adapter's. */
export function errorCodes(): GraftErrorCode[] {
  return [...ERROR_CODES, ...(adapterCodes as Set<GraftErrorCode>)];
}

/** The one error type graft throws for anything the caller can fix. */
export class GraftError extends Error {
  readonly code: GraftErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: GraftErrorCode, message: string, details?: Record<string, unknown>) {
    super(`[${code}] ${message}`);
    this.name = 'GraftError';
    this.code = code;
    this.details = details;
  }
}

export function isGraftError(e: unknown, code?: GraftErrorCode): e is GraftError {
  return e instanceof GraftError && (code === undefined || e.code === code);
}

/** Short, safe description of a value for "expected X, got Y" messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length}`;
  if (typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
    return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  }
  return typeof value;
}
