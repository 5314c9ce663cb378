import { env } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Remembers the process handlers installed now and returns a function that removes any added since.
 * Emscripten's Node glue installs `uncaughtException`/`unhandledRejection` handlers that rethrow, so every
 * later error of the app is reported from tf-backend-wasm.node.js and the process exits with code 7.
 */
export function snapshotProcessHandlers(): () => void {
  if (!env.runtime.isNode) return () => undefined;
  const emitter = process as NodeJS.EventEmitter;
  const before = new Map(EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  return () => {
    for (const event of EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...a: unknown[]) => void);
      }
    }
  };
}

/**
 * tfjs-backend-cpu advertises tfjs-node on its first tensor in Node. graft chooses its own backends, so the
 * banner only misleads; marking the cpu backend as used keeps it quiet (its one use of that flag).
 */
export function silenceTfjsNodeBanner(): void {
  if (!env.runtime.isNode) return;
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
