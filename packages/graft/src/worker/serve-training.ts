import { backends, GraftError, type Model } from '@graftjs/core';
import { captureArtifacts, weightBuffers } from './artifacts';
import { buildModel } from './build-model';
import { checkData } from './check-spec';
import { type FromWorker, HEARTBEAT_MS, type MessageScope, type ToWorker } from './protocol';

/**
 * Runs inside a module worker: answers WorkerTrainer's messages (choose a backend, fit, abort), trains with
 * the ordinary fluent API and posts progress back. The last trained model stays here for fine-tuning.
 */
export function serveTraining(scope: MessageScope = globalThis as unknown as MessageScope): void {
  let last: Model | null = null;
  const running = new Map<number, AbortController>();
  const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);
  const fail = (id: number, e: unknown) =>
    post({
      type: 'error',
      id,
      code: e instanceof GraftError ? e.code : undefined,
      // GraftError messages carry a "[CODE] " prefix; the calling side adds it back
      message: e instanceof GraftError ? e.message.replace(/^\[[A-Z_]+\] /, '') : String((e as Error)?.message ?? e),
    });

  async function fit(msg: Extract<ToWorker, { type: 'fit' }>): Promise<void> {
    const controller = new AbortController();
    running.set(msg.id, controller);
    try {
      checkData(msg.data);
      const model = await buildModel(msg.spec, last);
      if (last && last !== model) last.dispose();
      last = model;
      const { x, y, classNames } = msg.data;
      await model.fit({ data: x.data, shape: x.shape }, Array.from(y as ArrayLike<number | string>) as never, {
        ...msg.options,
        classNames: classNames ?? msg.options.classNames,
        signal: controller.signal,
        onProgress: (event) => post({ type: 'progress', id: msg.id, event }),
        onEpochEnd: (epoch, logs) => post({ type: 'epoch', id: msg.id, epoch, logs }),
      });
      const artifacts = await captureArtifacts(model);
      post(
        {
          type: 'done',
          id: msg.id,
          result: { artifacts, history: { ...model.history }, summary: model.lastFit, classNames: model.classNames },
        },
        weightBuffers(artifacts),
      );
    } catch (e) {
      fail(msg.id, e);
    } finally {
      running.delete(msg.id);
    }
  }

  /** Says `id` is alive until `work` settles, so the calling side can tell a slow request from a dead worker. */
  const heartbeat = (id: number, work: Promise<void>) => {
    post({ type: 'working', id });
    const timer = setInterval(() => post({ type: 'working', id }), HEARTBEAT_MS);
    void work.finally(() => clearInterval(timer));
  };

  scope.addEventListener('message', (e: MessageEvent) => {
    const msg = e.data as ToWorker;
    if (msg?.type === 'fit') heartbeat(msg.id, fit(msg));
    else if (msg?.type === 'abort') running.get(msg.id)?.abort();
    else if (msg?.type === 'backend') {
      const work = backends.use(msg.name).then(
        (choice) => post({ type: 'backend', id: msg.id, choice }),
        (err) => fail(msg.id, err),
      );
      heartbeat(msg.id, work);
    }
  });
  scope.start?.();
}
