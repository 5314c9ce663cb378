import { log } from '../env/log';
import { describe, GraftError } from '../errors/graft-error';
import type { BatchNormMode } from '../model/frozen-batchnorm';
import type { AnyLayer } from './transfer-graph';

export interface UnfreezeOptions {
  /** Re-open the last `n` layers of the base (Keras counting: every layer, weighted or not). */
  last?: number;
  /**
   * How re-opened BatchNormalization layers run. 'inference' (default, Keras after `base(x, training=False)`):
   * gamma and beta train, the moving mean/variance are used and never updated, so small batches cannot wreck
   * them. 'train': batch statistics, moving averages updated. `true` is a deprecated alias of 'train' and
   * `false` of 'inference' (graft before 0.x trained no BatchNorm weight at all by default).
   */
  batchNorm?: BatchNormMode | boolean;
}

export interface UnfreezePlan {
  layers: AnyLayer[];
  batchNorm: BatchNormMode;
}

function batchNormMode(value: unknown): BatchNormMode {
  if (value === undefined || value === false || value === 'inference') return 'inference';
  if (value === 'train') return 'train';
  if (value === true) {
    log.warn("unfreeze({ batchNorm: true }) is deprecated: it means batchNorm: 'train' (batch statistics)");
    return 'train';
  }
  throw new GraftError(
    'INVALID_OPTION',
    `expected unfreeze batchNorm as "inference" or "train", got ${describe(value)}`,
  );
}

function byName(layers: AnyLayer[], names: string[]): AnyLayer[] {
  const known = new Map(layers.map((l) => [l.name, l]));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length) {
    throw new GraftError(
      'UNKNOWN_LAYER',
      `the base has no layer(s) ${missing.map((m) => JSON.stringify(m)).join(', ')}; its last layers are ${layers
        .slice(-5)
        .map((l) => l.name)
        .join(', ')}`,
    );
  }
  return names.map((n) => known.get(n) as AnyLayer);
}

/**
 * The base layers `unfreeze(which)` re-opens (by name, or the last `n`, BatchNorm included as in Keras) and how
 * their BatchNorm layers run. Checks everything before the caller changes any layer.
 */
export function layersToUnfreeze(layers: AnyLayer[], which: UnfreezeOptions | string[]): UnfreezePlan {
  if (Array.isArray(which)) return { layers: byName(layers, which), batchNorm: 'inference' };
  if (typeof which !== 'object' || which === null)
    throw new GraftError('INVALID_OPTION', `expected unfreeze({ last }) or unfreeze([names]), got ${describe(which)}`);
  const n = which.last ?? layers.length;
  if (!(Number.isInteger(n) && n > 0))
    throw new GraftError('UNFREEZE_OUT_OF_RANGE', `expected last as a positive integer, got ${describe(which.last)}`);
  if (n > layers.length) {
    throw new GraftError('UNFREEZE_OUT_OF_RANGE', `expected last <= ${layers.length} (the base's depth), got ${n}`);
  }
  return { layers: layers.slice(layers.length - n), batchNorm: batchNormMode(which.batchNorm) };
}
