import { describe, GraftError } from '../errors/graft-error';
import type { AnyLayer } from './transfer-graph';

export interface UnfreezeOptions {
  /** Re-open the last `n` layers of the base (Keras counting: every layer, weighted or not). */
  last?: number;
  /**
   * Let unfrozen BatchNormalization layers train (batch statistics, moving averages updated). Default false:
   * as the Keras fine-tuning guide advises, BN stays in inference mode so small batches do not wreck it.
   */
  batchNorm?: boolean;
}

/** The base layers `unfreeze(which)` re-opens: by name (BatchNorm included), or the last `n` (BatchNorm by option). */
export function layersToUnfreeze(layers: AnyLayer[], which: UnfreezeOptions | string[]): AnyLayer[] {
  if (Array.isArray(which)) {
    const byName = new Map(layers.map((l) => [l.name, l]));
    const missing = which.filter((n) => !byName.has(n));
    if (missing.length) {
      throw new GraftError(
        'UNKNOWN_LAYER',
        `the base has no layer(s) ${missing.map((m) => JSON.stringify(m)).join(', ')}; its last layers are ${layers
          .slice(-5)
          .map((l) => l.name)
          .join(', ')}`,
      );
    }
    return which.map((n) => byName.get(n) as AnyLayer);
  }
  if (typeof which !== 'object' || which === null)
    throw new GraftError('INVALID_OPTION', `expected unfreeze({ last }) or unfreeze([names]), got ${describe(which)}`);
  const n = which.last ?? layers.length;
  if (!(Number.isInteger(n) && n > 0))
    throw new GraftError('UNFREEZE_OUT_OF_RANGE', `expected last as a positive integer, got ${describe(which.last)}`);
  if (n > layers.length) {
    throw new GraftError('UNFREEZE_OUT_OF_RANGE', `expected last <= ${layers.length} (the base's depth), got ${n}`);
  }
  const batchNorm = which.batchNorm ?? false;
  return layers.slice(layers.length - n).filter((l) => batchNorm || l.getClassName() !== 'BatchNormalization');
}
