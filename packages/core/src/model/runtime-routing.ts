import type * as tf from '@tensorflow/tfjs-core';
import { backends } from '../backends/registry';
import { GraftError } from '../errors/graft-error';
import type { ExportSource } from '../io/exporters';
import { getRuntime, type PreparedRuntime } from '../io/runtimes';

/**
 * Sends predictions to an outside inference runtime when one is asked for (`predict(x, { backend })`) or when the
 * active backend cannot train (an inference-only entry), and keeps one prepared session per runtime for the model.
 */
export class RuntimeRouter {
  private readonly sessions = new Map<string, PreparedRuntime>();

  constructor(private readonly source: () => ExportSource) {}

  /** The runtime this prediction runs on, or undefined for the model's own tfjs network. */
  pick(requested?: string): string | undefined {
    const current = backends.current()?.name;
    const inferenceOnly = current !== undefined && backends.get(current)?.capabilities.train === false;
    const name = requested ?? (inferenceOnly ? current : undefined);
    if (name && getRuntime(name)) return name;
    if (requested && requested !== current) {
      throw new GraftError(
        'UNKNOWN_BACKEND',
        `predict({ backend: ${JSON.stringify(requested)} }) names no registered inference runtime`,
      );
    }
    return undefined;
  }

  /** Runs a network-ready batch on the named runtime (a new tensor the caller owns). */
  async run(name: string, inputs: tf.Tensor): Promise<tf.Tensor> {
    let session = this.sessions.get(name);
    if (!session) {
      const runtime = getRuntime(name);
      if (!runtime) throw new GraftError('UNKNOWN_BACKEND', `no inference runtime named ${JSON.stringify(name)}`);
      session = await runtime.prepare(this.source());
      this.sessions.set(name, session);
    }
    return session.run(inputs);
  }

  /** Sessions built from old weights are dropped after training, whether it succeeded or not. */
  async invalidate(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of open) await s.dispose();
  }

  /** For a synchronous dispose: the map is emptied now, the sessions close after (a failure to close is moot). */
  closeInBackground(): void {
    this.invalidate().catch(() => {});
  }
}
