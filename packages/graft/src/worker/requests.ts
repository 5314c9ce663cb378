import { describe, GraftError, type GraftErrorCode } from '@graftjs/core';
import { errorCodes } from '@graftjs/core/adapter';
import type { FromWorker, ToWorker, WorkerLike } from './protocol';

export interface WorkerTimeouts {
  /**
   * How long the worker may stay silent on a request (no reply, progress or epoch message) before it fails with
   * WORKER_TIMEOUT, in ms. Default 60000; `Infinity` waits for ever.
   */
  timeoutMs?: number;
  /** How long an aborted fit may take to answer before it fails with WORKER_TIMEOUT, in ms. Default 5000. */
  abortTimeoutMs?: number;
}

type Pending = {
  resolve(v: FromWorker): void;
  reject(e: unknown): void;
  onMessage?(msg: FromWorker): void;
  timer?: ReturnType<typeof setTimeout>;
  /** The silence allowed now: `timeoutMs`, or `abortTimeoutMs` once aborted. */
  limit: number;
  /** Aborted: the abort deadline is fixed, heartbeats no longer extend it. */
  aborted?: boolean;
};

function toError(msg: { code?: string; message: string }): Error {
  if (msg.code && (errorCodes() as string[]).includes(msg.code)) {
    return new GraftError(msg.code as GraftErrorCode, msg.message);
  }
  return new Error(`training worker: ${msg.message}`);
}

export function checkTimeouts(t: WorkerTimeouts): Required<WorkerTimeouts> {
  const ms = (v: unknown, name: string, fallback: number) => {
    if (v === undefined) return fallback;
    if (typeof v === 'number' && v > 0) return v;
    throw new GraftError(
      'INVALID_OPTION',
      `expected ${name} as a positive number of ms (or Infinity), got ${describe(v)}`,
    );
  };
  return {
    timeoutMs: ms(t.timeoutMs, 'timeoutMs', 60_000),
    abortTimeoutMs: ms(t.abortTimeoutMs, 'abortTimeoutMs', 5_000),
  };
}

/**
 * The calling side of the worker protocol: every request settles, with the worker's answer, its error, a
 * WORKER_TIMEOUT when the worker stays silent too long, or when the worker fails or is terminated.
 */
export class Requests {
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly worker: WorkerLike,
    private readonly timeouts: Required<WorkerTimeouts>,
  ) {}

  /** Posts `msg`; resolves with the worker's final answer for its id ('done' or 'backend'). */
  send(msg: ToWorker, transfer: Transferable[], onMessage?: Pending['onMessage']): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, onMessage, limit: this.timeouts.timeoutMs };
      this.pending.set(msg.id, p);
      try {
        this.worker.postMessage(msg, transfer);
      } catch (e) {
        // a structured-clone failure (a function, a class instance) is the caller's input, not the worker's fault
        this.settle(msg.id)?.reject(
          new GraftError('INVALID_OPTION', `expected plain data to send to the worker, got ${(e as Error).message}`),
        );
        return;
      }
      this.arm(msg.id, p);
    });
  }

  /** An abort was sent for `id`: the worker now has `abortTimeoutMs` to answer. */
  aborted(id: number): void {
    const p = this.pending.get(id);
    if (!p || p.aborted) return;
    p.aborted = true;
    p.limit = Math.min(p.limit, this.timeouts.abortTimeoutMs);
    this.arm(id, p);
  }

  receive(msg: FromWorker): void {
    const p = msg && this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'error') this.settle(msg.id)?.reject(toError(msg));
    else if (msg.type === 'done' || msg.type === 'backend') this.settle(msg.id)?.resolve(msg);
    else {
      if (!p.aborted) this.arm(msg.id, p);
      p.onMessage?.(msg);
    }
  }

  /** Rejects every pending request (the worker failed or was terminated). */
  failAll(err: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(err);
  }

  private arm(id: number, p: Pending): void {
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (!Number.isFinite(p.limit)) return;
    p.timer = setTimeout(() => {
      this.settle(id)?.reject(
        new GraftError(
          'WORKER_TIMEOUT',
          `expected the training worker to answer within ${p.limit} ms, got silence; is serveTraining() running in it?`,
        ),
      );
    }, p.limit);
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    if (p.timer !== undefined) clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }
}
