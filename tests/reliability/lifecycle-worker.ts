import { type TrainingData, WorkerTrainer } from 'graftjs';
import { expect } from 'vitest';
import { expectCode, type LifecycleCase } from './lifecycle-fixtures';

const SPEC = {
  kind: 'sequential' as const,
  inputShape: [4],
  layers: [{ layer: 'dense' as const, args: [2, { activation: 'softmax' }] }],
};

function data(): TrainingData {
  return { x: { data: new Float32Array(16), shape: [4, 4] }, y: new Int32Array([0, 1, 0, 1]) };
}

/** A worker that takes every message and never answers (a worker script without serveTraining, or a hung one). */
function silentWorker() {
  const { port1, port2 } = new MessageChannel();
  port1.start();
  const close = () => {
    port1.close();
    port2.close();
  };
  return { port: port2, close };
}

/** A worker that says it is working every few ms but never finishes and ignores aborts. */
function stuckWorker() {
  const { port1, port2 } = new MessageChannel();
  const timers: ReturnType<typeof setInterval>[] = [];
  port1.addEventListener('message', (e: MessageEvent) => {
    const { id, type } = e.data as { id: number; type: string };
    if (type === 'fit') timers.push(setInterval(() => port1.postMessage({ type: 'working', id }), 5));
  });
  port1.start();
  const close = () => {
    for (const t of timers) clearInterval(t);
    port1.close();
    port2.close();
  };
  return { port: port2, close };
}

export const WORKER_CASES: LifecycleCase[] = [
  {
    area: 'worker',
    name: 'a worker that never answers: fit and useBackend settle with WORKER_TIMEOUT',
    async run() {
      const w = silentWorker();
      const trainer = new WorkerTrainer(w.port as never, { timeoutMs: 50 });
      await expectCode(() => trainer.fit(SPEC, data(), { epochs: 1 }), 'WORKER_TIMEOUT');
      await expectCode(() => trainer.useBackend('cpu'), 'WORKER_TIMEOUT');
      w.close();
    },
  },
  {
    area: 'worker',
    name: 'abort settles even when the worker keeps running and ignores it: WORKER_TIMEOUT after abortTimeoutMs',
    async run() {
      const w = stuckWorker();
      const trainer = new WorkerTrainer(w.port as never, { timeoutMs: 10_000, abortTimeoutMs: 50 });
      const controller = new AbortController();
      const fit = trainer.fit(SPEC, data(), { epochs: 1, signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      await expectCode(() => fit, 'WORKER_TIMEOUT');
      w.close();
    },
  },
  {
    area: 'worker',
    name: 'fit options holding a function -> INVALID_OPTION naming it, not a DOMException; nothing sent',
    async run() {
      const w = silentWorker();
      const trainer = new WorkerTrainer(w.port as never, { timeoutMs: 50 });
      const options = { epochs: 1, earlyStopping: { monitor: 'loss', patience: (() => 1) as never } };
      const err = await trainer.fit(SPEC, data(), options).catch((e) => e);
      expect(err.code).toBe('INVALID_OPTION');
      expect(err.message).toMatch(/earlyStopping\.patience/);
      w.close();
    },
  },
  {
    area: 'worker',
    name: 'timeouts are validated as options',
    async run() {
      const w = silentWorker();
      await expectCode(() => new WorkerTrainer(w.port as never, { timeoutMs: Number.NaN }), 'INVALID_OPTION');
      await expectCode(() => new WorkerTrainer(w.port as never, { abortTimeoutMs: -1 }), 'INVALID_OPTION');
      w.close();
    },
  },
];
