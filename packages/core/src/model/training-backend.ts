import { type BackendChoice, backends } from '../backends/registry';
import { GraftError } from '../errors/graft-error';

/**
 * The backend a fit runs on: the active one ('auto' on first use), held for the whole fit so nothing switches
 * it underneath. Refuses an inference-only backend, naming those that can train, from their capabilities.
 */
export async function holdTrainingBackend(): Promise<{ choice: BackendChoice; release: () => void }> {
  // held before the first await: a `use()` called right after `fit()` is refused instead of switching under it
  const release = backends.hold();
  try {
    return { choice: await trainingChoice(), release };
  } catch (e) {
    release();
    throw e;
  }
}

async function trainingChoice(): Promise<BackendChoice> {
  const choice = await backends.ensure();
  const entry = backends.get(choice.name);
  if (entry && !entry.capabilities.train) {
    const trainers = (await backends.list()).filter((b) => b.capabilities.train && b.available).map((b) => b.name);
    throw new GraftError(
      'BACKEND_CANNOT_TRAIN',
      `the active backend "${choice.name}" runs inference only (its capabilities say train: false); ` +
        `train on a backend that trains (backends.use("auto") or one of ${trainers.map((n) => `"${n}"`).join(', ')}) ` +
        `and predict with { backend: "${choice.name}" }`,
    );
  }
  return choice;
}
