import type * as tf from '@tensorflow/tfjs-core';

/**
 * Base features per input tensor, valid for one key (the frozen set, base weights version and preprocessing).
 * Holds at most a few entries (training and validation inputs); everything is dropped when the key changes.
 */
export class FeatureCache {
  private entries: { input: tf.Tensor; key: string; features: tf.Tensor }[] = [];
  private static readonly LIMIT = 2;

  async get(input: tf.Tensor, key: string, compute: () => Promise<tf.Tensor>): Promise<tf.Tensor> {
    this.entries = this.entries.filter((e) => {
      const keep = e.key === key && !e.input.isDisposed;
      if (!keep) e.features.dispose();
      return keep;
    });
    const hit = this.entries.find((e) => e.input === input);
    if (hit) return hit.features;
    const features = await compute();
    this.entries.push({ input, key, features });
    while (this.entries.length > FeatureCache.LIMIT) this.entries.shift()?.features.dispose();
    return features;
  }

  /** Number of cached feature tensors (for tests and leak accounting). */
  get size(): number {
    return this.entries.length;
  }

  /** Drops entries whose input tensor is gone (a fit's temporary dataset). */
  prune(): void {
    this.entries = this.entries.filter((e) => {
      if (e.input.isDisposed) e.features.dispose();
      return !e.input.isDisposed;
    });
  }

  clear(): void {
    for (const e of this.entries) e.features.dispose();
    this.entries = [];
  }
}
