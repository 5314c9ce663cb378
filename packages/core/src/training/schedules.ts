import { OneCycle, type OneCycleOptions } from './one-cycle';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau';

/**
 * Learning-rate schedules as callback objects, tfjs style (`tf.callbacks.earlyStopping()`):
 * `fit(data, { callbacks: [callbacks.reduceLROnPlateau({ patience: 2 })] })`.
 */
export const callbacks = Object.freeze({
  /** fastai's one-cycle policy (`fit_one_cycle`), stepped per batch. */
  oneCycle: (options?: OneCycleOptions): OneCycle => new OneCycle(options),
  /** Keras' ReduceLROnPlateau. */
  reduceLROnPlateau: (options?: ReduceLROnPlateauOptions): ReduceLROnPlateau => new ReduceLROnPlateau(options),
});
