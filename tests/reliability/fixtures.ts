import { type Dataset, type GraftErrorCode, isGraftError, type Model, sequential } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The catalogue's and leak tests' model: 4 features -> 8 relu -> 3 softmax, seeded. */
export function tinyClassifier(seed = 1) {
  return sequential({ inputShape: [4], seed })
    .dense(8, { activation: 'relu' })
    .dense(3, { activation: 'softmax' });
}

/** A small image base (8x8 RGB) with named layers, for transfer cases. */
export function smallImageBase(channels = 3): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, channels] });
  let x = tfl.layers
    .conv2d({ filters: 2, kernelSize: 3, name: 'c1', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'small_base' });
}

/** What a failed call must leave untouched: weights, history, the dataset's values, the live tensor count. */
export interface StateSnapshot {
  weights: number[][];
  history: string;
  x: number[];
  y: number[];
  numTensors: number;
}

export async function snapshot(model: Model, data: Dataset): Promise<StateSnapshot> {
  const weights = await Promise.all(model.net.weights.map(async (w) => Array.from(await w.read().data())));
  return {
    weights,
    history: JSON.stringify(model.history),
    x: Array.from(await data.x.data()),
    y: Array.from((await data.y?.data()) ?? []),
    numTensors: tf.memory().numTensors,
  };
}

/** Runs `fn`; returns the GraftError code it threw, or a description of what else happened. */
export async function outcome(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (isGraftError(e)) return e.code;
    return `not a GraftError: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}`;
  }
  return 'no error';
}

export type { GraftErrorCode };
