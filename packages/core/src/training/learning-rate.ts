import type * as tf from '@tensorflow/tfjs-core';

interface RateHolder {
  learningRate?: number;
  setLearningRate?(rate: number): void;
}

/** The rate an optimizer applies now (every tfjs optimizer keeps it in `learningRate`, protected in the types). */
export function learningRateOf(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as RateHolder).learningRate ?? Number.NaN;
}

/**
 * Changes the rate of a live optimizer without touching its state (Adam's moments stay): SGD and momentum keep
 * a scalar made from it, which `setLearningRate` rebuilds; the others read `learningRate` at every step.
 */
export function setLearningRateOf(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as RateHolder;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}

export interface RateRun<T> {
  value: T;
  /** The rate the run started with. */
  learningRate: number;
  /** The rate at its end (a schedule may have changed it). */
  finalLearningRate: number;
}

/**
 * Runs one fit whose callbacks may change the optimizer's rate, then puts the starting rate back: the model's
 * optimizer is kept across fits by the rate it was built for, and a fit asking for that rate must get it.
 */
export async function restoringRate<T>(optimizer: tf.Optimizer, run: () => Promise<T>): Promise<RateRun<T>> {
  const learningRate = learningRateOf(optimizer);
  let finalLearningRate = learningRate;
  try {
    const value = await run();
    finalLearningRate = learningRateOf(optimizer);
    return { value, learningRate, finalLearningRate };
  } finally {
    if (learningRateOf(optimizer) !== learningRate) setLearningRateOf(optimizer, learningRate);
  }
}
