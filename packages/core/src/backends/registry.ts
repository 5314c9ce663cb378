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

export type { BackendCapabilities, BackendChoice, BackendEntry, BackendStatus } from './entry';

const entries = new Map<string, BackendEntry>();
const failed = new Map<string, string>();
let active: BackendChoice | null = null;
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

async function probe(name: string, entry: BackendEntry): Promise<true | string> {
  const known = failed.get(name);
  if (known) return known;
  try {
    return await entry.isAvailable();
  } catch (e) {
    return `availability check threw: ${(e as Error).message}`;
  }
}

async function activate(name: string, entry: BackendEntry): Promise<void> {
  const target = entry.tfjsBackend === undefined ? name : entry.tfjsBackend;
  const moving = target !== null && target !== tf.getBackend() ? await readVariables() : [];
  try {
    await entry.init();
  } catch (e) {
    const reason = `init failed: ${(e as Error).message}`;
    failed.set(name, reason);
    throw new GraftError('BACKEND_INIT_FAILED', `backend "${name}" ${reason}`, { backend: name });
  }
  if (tf.getBackend() !== target) return;
  for (const { variable, values } of moving) {
    if (variable.isDisposed) continue;
    const moved = tf.tensor(values, variable.shape, variable.dtype);
    variable.assign(moved);
    moved.dispose();
  }
}

/**
 * tfjs moves a tensor to a new backend lazily, with a synchronous read on the old one; a GPU backend cannot read
 * synchronously in Node (and stalls the GPU to do it in browsers). Reading every variable (model weights, optimizer
 * state) asynchronously before a switch lets models trained on one backend keep working on the next.
 */
async function readVariables(): Promise<{ variable: tf.Variable; values: tf.TypedArray }[]> {
  const out: { variable: tf.Variable; values: tf.TypedArray }[] = [];
  for (const variable of Object.values(tf.engine().registeredVariables)) {
    if (variable.isDisposed) continue;
    out.push({ variable, values: (await variable.data()) as tf.TypedArray });
  }
  return out;
}

function sorted(): [string, BackendEntry][] {
  return [...entries].sort((a, b) => b[1].priority - a[1].priority);
}

function refuseDuringFit(name: string): void {
  if (busy > 0) {
    throw new GraftError(
      'BACKEND_SWITCH_DURING_FIT',
      `cannot switch backend to "${name}" while ${busy} fit(s) run on "${active?.name ?? 'the default backend'}"; await the fit or abort it first`,
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
  return serial(() => switchTo(name));
}

async function switchTo(name: string): Promise<BackendChoice> {
  if (name === 'auto') {
    const skipped: { name: string; reason: string }[] = [];
    for (const [candidate, entry] of sorted()) {
      if (!entry.capabilities.train) {
        skipped.push({ name: candidate, reason: 'cannot train (inference only)' });
        continue;
      }
      if (!entry.capabilities.float32) {
        skipped.push({ name: candidate, reason: 'has no float32 kernels, which training needs' });
        continue;
      }
      const ok = await probe(candidate, entry);
      if (ok !== true) {
        skipped.push({ name: candidate, reason: ok });
        continue;
      }
      try {
        await activate(candidate, entry);
      } catch (e) {
        skipped.push({ name: candidate, reason: (e as GraftError).message });
        continue;
      }
      const detail = entry.describe ? ` (${entry.describe()})` : '';
      const why = skipped.length ? `; skipped ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}` : '';
      active = {
        name: candidate,
        reason: `chose "${candidate}"${detail}: highest-priority available training backend${why}`,
        skipped,
      };
      return active;
    }
    throw new GraftError(
      'BACKEND_UNAVAILABLE',
      `no training backend is available: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') || 'none registered'}`,
    );
  }
  const entry = entries.get(name);
  if (!entry) {
    throw new GraftError(
      'UNKNOWN_BACKEND',
      `expected one of ${['auto', ...entries.keys()].map((n) => `"${n}"`).join(', ')}, got ${JSON.stringify(name)}` +
        ' (adapters register when imported: import the adapter package; "graftjs" registers the training backends and' +
        ' "graftjs/<name>" an opt-in inference one)',
    );
  }
  const ok = await probe(name, entry);
  if (ok !== true) {
    throw new GraftError('BACKEND_UNAVAILABLE', `backend "${name}" is not available here: ${ok}`, { backend: name });
  }
  await activate(name, entry);
  const detail = entry.describe ? ` (${entry.describe()})` : '';
  active = { name, reason: `using "${name}"${detail}: chosen by name`, skipped: [] };
  return active;
}

async function list(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const [name, entry] of sorted()) {
    const ok = await probe(name, entry);
    out.push({
      name,
      priority: entry.priority,
      capabilities: { ...entry.capabilities },
      exports: Object.entries(entry.exports ?? {}).map(([format, spec]) => ({
        format,
        extensions: [...spec.extensions],
      })),
      available: ok === true,
      reason: ok === true ? (entry.describe?.() ?? 'available') : ok,
      active: active?.name === name,
    });
  }
  return out;
}

/** The active backend, selecting `'auto'` first if none was chosen yet; waits for a switch in flight. */
async function ensure(): Promise<BackendChoice> {
  await queue;
  const entry = active ? entries.get(active.name) : undefined;
  // an entry that runs outside tfjs has nothing to check against tfjs's engine
  if (active && entry && entry.tfjsBackend === null) return active;
  if (active && tf.getBackend() === (entry?.tfjsBackend ?? active.name)) return active;
  // re-activating what is already chosen is not a switch: a held fit may do it
  const name = active?.name ?? 'auto';
  return serial(() => switchTo(name));
}

function current(): BackendChoice | null {
  return active;
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
