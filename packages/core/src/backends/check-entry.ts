import { describe, GraftError } from '../errors/graft-error';
import type { BackendEntry } from './entry';

const HOST_MEMORY = ['shared', 'copied', 'device'];

function fail(name: string, expected: string, got: unknown): never {
  throw new GraftError('INVALID_OPTION', `backends.register("${name}") expects ${expected}, got ${describe(got)}`);
}

function checkCapabilities(name: string, entry: BackendEntry): void {
  const caps = entry.capabilities;
  if (typeof caps !== 'object' || caps === null) fail(name, 'capabilities as an object', caps);
  for (const flag of ['train', 'inference', 'float32'] as const) {
    if (typeof caps[flag] !== 'boolean') fail(name, `capabilities.${flag} as a boolean`, caps[flag]);
  }
  if (!HOST_MEMORY.includes(caps.hostMemory)) fail(name, `capabilities.hostMemory in ${HOST_MEMORY}`, caps.hostMemory);
  if (entry.runtime && !caps.inference) fail(name, 'capabilities.inference true with a runtime', caps.inference);
}

function checkExports(name: string, entry: BackendEntry, claimed: Map<string, string>): void {
  for (const [format, spec] of Object.entries(entry.exports ?? {})) {
    if (typeof spec?.run !== 'function') fail(name, `exports.${format}.run as a function`, spec?.run);
    const owner = claimed.get(format);
    if (owner !== undefined && owner !== name) fail(name, `an export format no other adapter claims`, format);
    for (const ext of spec.extensions ?? []) {
      if (!/^\.[a-z0-9.]+$/.test(ext)) fail(name, `exports.${format}.extensions as lower-case ".ext" strings`, ext);
      const extOwner = claimed.get(ext);
      if (extOwner !== undefined && extOwner !== name) fail(name, `a file extension no other adapter claims`, ext);
    }
  }
}

/**
 * A registration is checked whole before the registry changes, so a bad entry leaves the previous one in place.
 * `claimed` maps each export format and extension already registered to its adapter.
 */
export function checkEntry(name: string, entry: BackendEntry, claimed: Map<string, string>): void {
  if (typeof name !== 'string' || name.length === 0 || name === 'auto') {
    fail(String(name), 'a non-empty name other than "auto"', name);
  }
  if (typeof entry !== 'object' || entry === null) fail(name, 'an entry object', entry);
  if (typeof entry.priority !== 'number' || Number.isNaN(entry.priority))
    fail(name, 'a numeric priority', entry.priority);
  if (typeof entry.isAvailable !== 'function') fail(name, 'isAvailable as a function', entry.isAvailable);
  if (typeof entry.init !== 'function') fail(name, 'init as a function', entry.init);
  checkCapabilities(name, entry);
  checkExports(name, entry, claimed);
}
