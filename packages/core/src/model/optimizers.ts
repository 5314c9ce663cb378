import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax' | 'momentum';

/** Keras' default learning rates per optimizer. */
const DEFAULT_LR: Record<OptimizerName, number> = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
  adagrad: 0.001,
  adadelta: 0.001,
  adamax: 0.001,
  momentum: 0.01,
};

export const OPTIMIZER_NAMES = Object.keys(DEFAULT_LR) as OptimizerName[];

/** tfjs' class name for each (what `getClassName()` says and checkpoints record). */
export const OPTIMIZER_CLASSES: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSProp',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
  momentum: 'Momentum',
};

export function defaultLearningRate(name: OptimizerName): number {
  return DEFAULT_LR[name];
}

/** Refuses a learning rate that is given but not a positive finite number. */
export function checkLearningRate(learningRate: unknown): void {
  if (learningRate === undefined) return;
  if (!(typeof learningRate === 'number' && learningRate > 0 && Number.isFinite(learningRate))) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected learningRate as a positive finite number, got ${describe(learningRate)}`,
    );
  }
}

export function createOptimizer(name: OptimizerName, learningRate?: number): tf.Optimizer {
  if (!OPTIMIZER_NAMES.includes(name)) {
    throw new GraftError(
      'UNKNOWN_OPTIMIZER',
      `expected an optimizer in [${OPTIMIZER_NAMES.join(', ')}] or a tf.Optimizer, got ${describe(name)}`,
    );
  }
  checkLearningRate(learningRate);
  const lr = learningRate ?? DEFAULT_LR[name];
  switch (name) {
    case 'adam':
      return tf.train.adam(lr, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(lr, 0.9, 0, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'adadelta':
      return tf.train.adadelta(lr, 0.95, 1e-7);
    case 'adamax':
      return tf.train.adamax(lr, 0.9, 0.999, 1e-7);
  }
}

/**
 * A fresh optimizer of the same class and settings as `instance` (tfjs' getConfig/fromConfig). tfjs optimizers keep
 * their state by the position of each variable in the gradient list, so one instance cannot follow a model whose
 * trainable set changes (freeze, unfreeze, fine-tuning): graft trains with a copy it owns and rebuilds it when the
 * trainable set changes. The caller's instance is read, never trained with or changed.
 */
export function copyOptimizer(instance: tf.Optimizer, learningRate?: number): tf.Optimizer {
  const cls = instance.constructor as tf.serialization.SerializableConstructor<tf.Optimizer>;
  const config = { ...instance.getConfig() };
  checkLearningRate(learningRate);
  if (learningRate !== undefined) config.learningRate = learningRate;
  return cls.fromConfig(cls, config);
}

/**
 * Frees an optimizer. tfjs' MomentumOptimizer.dispose skips its parent's (SGD's) learning-rate scalar `c`, one
 * tensor per optimizer: freed here too when still alive.
 */
export function disposeOptimizer(o: tf.Optimizer): void {
  o.dispose();
  const c = (o as unknown as { c?: tf.Tensor }).c;
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}
