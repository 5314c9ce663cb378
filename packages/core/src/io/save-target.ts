const BROWSER_SCHEMES = ['indexeddb://', 'localstorage://', 'downloads://', 'http://', 'https://'];

export { BROWSER_SCHEMES };

import { isNode } from '../env/runtime';

/** The file-system path a location names in Node (plain or file://), or null (a browser scheme, or not Node). */
export function nodePath(target: string): string | null {
  if (target.startsWith('file://')) return decodeURI(target.slice('file://'.length));
  if (BROWSER_SCHEMES.some((s) => target.startsWith(s))) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return null;
  return isNode ? target : null;
}

export function isBrowserScheme(target: string): boolean {
  return BROWSER_SCHEMES.some((s) => target.startsWith(s));
}
