import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CallbackList } from '../training/callback-list';
import type { Callbacks, ProgressEvent } from '../training/callbacks';
import { Checkpoint } from '../training/checkpoint-callback';
import { EarlyStopping } from '../training/early-stopping';
import type { History } from '../training/history';
import { NonFiniteGuard } from '../training/non-finite-guard';
import { Progress } from '../training/progress';
import type { FitOptions, NormalisedFitOptions } from './fit-options';

/** The user's callbacks: the fit options themselves (`onEpochEnd: ...`), then `callbacks: [...]` in order. */
export function userCallbacks(options: FitOptions): Callbacks[] {
  return [options, ...(options.callbacks ?? [])];
}

/** Progress for everyone who listens: `onProgress` of the options and of each callback object. */
export function progressFor(options: FitOptions): Progress {
  const listeners = userCallbacks(options).flatMap((c) =>
    typeof c.onProgress === 'function' ? [(e: ProgressEvent) => c.onProgress?.(e)] : [],
  );
  return new Progress(listeners);
}

export interface FitCallbackParts {
  progress: Progress;
  history: History;
  /** The network the loop trains (the head alone on cached features). */
  trainNet: LayersModel;
  /** The whole network, which checkpoints save. */
  net: LayersModel;
  optimizer: tf.Optimizer;
  hasValidation: boolean;
}

/**
 * One fit's callback list, in the order they run: Progress, the non-finite guard (first to see an epoch, so a bad
 * one is rolled back before anything records it), History, Checkpoint (which saves what History recorded),
 * EarlyStopping, then the user's. Any of them may stop training.
 */
export function fitCallbacks(options: FitOptions, opts: NormalisedFitOptions, parts: FitCallbackParts): CallbackList {
  const list: Callbacks[] = [parts.progress];
  if (opts.nonFinite === 'stop') list.push(new NonFiniteGuard(parts.trainNet));
  list.push(parts.history);
  if (opts.checkpoint) list.push(new Checkpoint(opts.checkpoint, parts.net, parts.optimizer, parts.history));
  if (opts.earlyStopping) list.push(new EarlyStopping(opts.earlyStopping, parts.hasValidation, parts.trainNet));
  return new CallbackList([...list, ...userCallbacks(options)]);
}
