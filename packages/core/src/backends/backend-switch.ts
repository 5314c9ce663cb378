import * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import type { BackendChoice, BackendEntry, BackendStatus } from './entry';
import { registryState as state } from './registry-state';

// Switching and listing backends: asynchronous, so this code loads with the first `use`, `ensure` or `list`.

async function probe(name: string, entry: BackendEntry): Promise<true | string> {
  const known = state.failed.get(name);
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
    state.failed.set(name, reason);
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
  return [...state.entries].sort((a, b) => b[1].priority - a[1].priority);
}

export async function switchTo(name: string): Promise<BackendChoice> {
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
      state.active = {
        name: candidate,
        reason: `chose "${candidate}"${detail}: highest-priority available training backend${why}`,
        skipped,
      };
      return state.active;
    }
    throw new GraftError(
      'BACKEND_UNAVAILABLE',
      `no training backend is available: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') || 'none registered'}`,
    );
  }
  const entry = state.entries.get(name);
  if (!entry) {
    throw new GraftError(
      'UNKNOWN_BACKEND',
      `expected one of ${['auto', ...state.entries.keys()].map((n) => `"${n}"`).join(', ')}, got ${JSON.stringify(name)}` +
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
  state.active = { name, reason: `using "${name}"${detail}: chosen by name`, skipped: [] };
  return state.active;
}

export async function list(): Promise<BackendStatus[]> {
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
      active: state.active?.name === name,
    });
  }
  return out;
}
