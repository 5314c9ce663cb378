import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import { checkEntry } from './check-entry';
import type {
  BackendCapabilities,
  BackendChoice,
  BackendEntry,
  BackendStatus,
  ExportFormat,
  InferenceRuntime,
} from './entry';
import { registryState } from './registry-state';

export type { BackendCapabilities, BackendChoice, BackendEntry, BackendStatus } from './entry';

const { entries, failed } = registryState;
const switching = () => import('./backend-switch');
let busy = 0;
/** Switches run one at a time, in call order; fits and `ensure()` wait for the one in flight. */
let queue: Promise<unknown> = Promise.resolve();

function serial<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => {});
  return run;
}

/** Each export format and file extension already claimed, with the adapter that claims it. */
function claims(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, entry] of entries) {
    for (const [format, spec] of Object.entries(entry.exports ?? {})) {
      out.set(format, name);
      for (const ext of spec.extensions) out.set(ext, name);
    }
  }
  return out;
}

/**
 * Adds an adapter (or replaces the one of that name): its capabilities, and optionally an inference runtime
 * and export formats. Adapters call this when they are imported.
 */
function register(name: string, entry: BackendEntry): void {
  checkEntry(name, entry, claims());
  entries.set(name, entry);
  failed.delete(name);
}

function refuseDuringFit(name: string): void {
  if (busy > 0) {
    throw new GraftError(
      'BACKEND_SWITCH_DURING_FIT',
      `cannot switch backend to "${name}" while ${busy} fit(s) run on "${registryState.active?.name ?? 'the default backend'}"; await the fit or abort it first`,
    );
  }
}

/**
 * Selects a backend by name, or `'auto'`: the highest-priority backend that is available here and can train.
 * Refused with BACKEND_SWITCH_DURING_FIT from the moment a fit is called until it settles (the fit is never
 * broken); a fit called while a switch runs waits for it and trains on the new backend. Switches run in call order.
 */
async function use(name: string): Promise<BackendChoice> {
  refuseDuringFit(name);
  // a fit called after this (busy) waits for the queue, so the switch never runs under it
  return serial(async () => (await switching()).switchTo(name));
}

/** The active backend, selecting `'auto'` first if none was chosen yet; waits for a switch in flight. */
async function ensure(): Promise<BackendChoice> {
  await queue;
  const { active } = registryState;
  const entry = active ? entries.get(active.name) : undefined;
  // an entry that runs outside tfjs has nothing to check against tfjs's engine
  if (active && entry && entry.tfjsBackend === null) return active;
  if (active && tf.getBackend() === (entry?.tfjsBackend ?? active.name)) return active;
  // re-activating what is already chosen is not a switch: a held fit may do it
  const name = active?.name ?? 'auto';
  return serial(async () => (await switching()).switchTo(name));
}

function current(): BackendChoice | null {
  return registryState.active;
}

async function list(): Promise<BackendStatus[]> {
  return (await switching()).list();
}

function get(name: string): BackendEntry | undefined {
  return entries.get(name);
}

/** Marks a fit as running so `use()` refuses to switch under it; a fit calls it before its first await. */
function hold(): () => void {
  busy++;
  let released = false;
  return () => {
    if (!released) {
      released = true;
      busy--;
    }
  };
}

/** The capabilities of the registered backend that tfjs is running now (by its tfjs name), if any. */
function running(): BackendCapabilities | undefined {
  const now = tf.getBackend();
  for (const [name, entry] of entries) {
    if ((entry.tfjsBackend === undefined ? name : entry.tfjsBackend) === now) return entry.capabilities;
  }
  return undefined;
}

/** The outside-tfjs runtime of an inference-capable entry, if it has one. */
export function runtimeOf(name: string): InferenceRuntime | undefined {
  const entry = entries.get(name);
  return entry?.capabilities.inference ? entry.runtime : undefined;
}

/** Every registered export format by name. */
export function exportFormats(): Map<string, ExportFormat> {
  const out = new Map<string, ExportFormat>();
  for (const entry of entries.values()) for (const [f, spec] of Object.entries(entry.exports ?? {})) out.set(f, spec);
  return out;
}

export const backends = { register, use, list, current, ensure, get, hold, running };
export type Backends = typeof backends;
