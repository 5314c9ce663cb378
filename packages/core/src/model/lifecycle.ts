import { GraftError } from '../errors/graft-error';

const call = (method: string) => (/^\w+$/.test(method) ? `${method}()` : method);

/**
 * A model's lifetime: usable until `dispose()`, and either idle or fitting. Public methods call one guard each so a
 * disposed model never silently rebuilds a fresh network and nothing reshapes a model under a running fit.
 */
export class Lifecycle {
  private disposed = false;
  private fitting = false;

  /** Throws MODEL_DISPOSED once the model was disposed. */
  usable(method: string): void {
    if (this.disposed) {
      throw new GraftError(
        'MODEL_DISPOSED',
        `expected a live model, got ${call(method)} on one that was disposed; its weights are freed: build or load a new model`,
      );
    }
  }

  /** Throws MODEL_DISPOSED, or FIT_IN_PROGRESS while a fit runs (mutations wait for the fit to end). */
  idle(method: string): void {
    this.usable(method);
    if (this.fitting) {
      throw new GraftError(
        'FIT_IN_PROGRESS',
        `expected no running fit, got ${call(method)} while this model is fitting; await the fit (or abort it) first`,
      );
    }
  }

  /** Marks a fit as running; the returned function ends it. */
  beginFit(): () => void {
    this.idle('fit');
    this.fitting = true;
    return () => {
      this.fitting = false;
    };
  }

  /** Marks the model disposed; false when it already was (a second dispose does nothing). */
  end(): boolean {
    if (this.disposed) return false;
    this.idle('dispose');
    this.disposed = true;
    return true;
  }
}
