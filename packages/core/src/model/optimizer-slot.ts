import type * as tf from '@tensorflow/tfjs-core';
import { learningRateOf } from '../training/learning-rate';
import type { CompileOptions } from './compile';
import {
  copyOptimizer,
  createOptimizer,
  defaultLearningRate,
  disposeOptimizer,
  OPTIMIZER_CLASSES,
  type OptimizerName,
} from './optimizers';

/**
 * The model's optimizer: built on first fit from the compile settings, kept across fits while the settings and
 * the rate stay the same (so Adam's moments carry over), rebuilt when the trainable set changes. tfjs optimizers keep
 * state by position in the variable list, so the key names every trainable variable: a base that another model
 * unfroze (shared layers) gives a new set here, and a fresh optimizer instead of moments of the wrong shape.
 */
export class OptimizerSlot {
  private optimizer: tf.Optimizer | null = null;
  private key = '';
  private spec: OptimizerName | tf.Optimizer = 'adam';
  private compiledRate?: number;
  /** The rate of the next fit when neither fit nor compile names one (a one-fit default, e.g. after unfreeze). */
  private nextDefault?: number;

  configure(options: CompileOptions): void {
    this.spec = options.optimizer ?? 'adam';
    this.compiledRate = options.learningRate;
    this.reset();
  }

  /** The learning rate compile named, if any. */
  get compiledLearningRate(): number | undefined {
    return this.compiledRate;
  }

  /** The optimizer the last fit used (null before the first fit and after a reset). */
  get current(): tf.Optimizer | null {
    return this.optimizer;
  }

  /** The tfjs class name of the optimizer the next fit trains with, without building it. */
  get className(): string {
    return typeof this.spec === 'string' ? OPTIMIZER_CLASSES[this.spec] : this.spec.getClassName();
  }

  /** Forgets optimizer state; `nextDefault` sets the rate of the next fit that names none. */
  reset(nextDefault?: number): void {
    if (this.optimizer) disposeOptimizer(this.optimizer);
    this.optimizer = null;
    this.key = '';
    if (nextDefault !== undefined) this.nextDefault = nextDefault;
  }

  /** The one-fit default applies to one fit only. */
  fitEnded(): void {
    this.nextDefault = undefined;
  }

  /** The rate the next fit uses when it names none, and where that rate comes from (for `summary()`). */
  nextLearningRate(): { rate: number; source: string } {
    if (typeof this.spec !== 'string') return { rate: learningRateOf(this.spec), source: "the optimizer's own" };
    if (this.compiledRate !== undefined) return { rate: this.compiledRate, source: 'compile' };
    if (this.nextDefault !== undefined)
      return { rate: this.nextDefault, source: 'the fine-tuning default after unfreeze' };
    return { rate: defaultLearningRate(this.spec), source: `the Keras default for ${this.spec}` };
  }

  /** The optimizer for a fit at `learningRate` over `trainable`, rebuilt when the rate or the variables change. */
  get(learningRate: number | undefined, trainable: readonly { name: string }[]): tf.Optimizer {
    // an optimizer instance brings its own rate, which counts as named at compile time
    const named = typeof this.spec === 'string' ? this.nextDefault : undefined;
    const lr = learningRate ?? this.compiledRate ?? named;
    const vars = trainable.map((v) => v.name).join(',');
    const key = `${typeof this.spec === 'string' ? this.spec : 'instance'}:${lr ?? 'default'}:${vars}`;
    if (!this.optimizer || this.key !== key) {
      if (this.optimizer) disposeOptimizer(this.optimizer);
      this.optimizer = typeof this.spec === 'string' ? createOptimizer(this.spec, lr) : copyOptimizer(this.spec, lr);
      this.key = key;
    }
    return this.optimizer;
  }

  dispose(): void {
    this.reset();
  }
}
