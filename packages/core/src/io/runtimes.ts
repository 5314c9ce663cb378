import type * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import type { ExportSource } from './exporters';

/**
 * An inference runtime outside tfjs (ONNX Runtime). `prepare` builds whatever it needs for one
 * model once (a session); `run` maps an NHWC float batch (already preprocessed) to the model's output.
 */
export interface InferenceRuntime {
  prepare(source: ExportSource): Promise<PreparedRuntime>;
}

export interface PreparedRuntime {
  run(batch: tf.Tensor): Promise<tf.Tensor>;
  dispose(): Promise<void> | void;
}

const runtimes = new Map<string, InferenceRuntime>();

export function registerRuntime(name: string, runtime: InferenceRuntime): void {
  runtimes.set(name, runtime);
}

export function getRuntime(name: string): InferenceRuntime | undefined {
  return runtimes.get(name);
}

export function requireRuntime(name: string): InferenceRuntime {
  const r = runtimes.get(name);
  if (!r) throw new GraftError('UNKNOWN_BACKEND', `no inference runtime named ${JSON.stringify(name)} is registered`);
  return r;
}
