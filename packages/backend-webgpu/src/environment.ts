/** True in Node (not in browsers, workers or bundlers' browser builds). */
export const isNode =
  typeof process !== 'undefined' &&
  process.versions?.node != null &&
  typeof (globalThis as { window?: unknown }).window === 'undefined';
