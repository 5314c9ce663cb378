import type * as tf from '@tensorflow/tfjs-core';

/**
 * Base features per input tensor, each stored with the fingerprint of the stem that computed it. One rule decides
 * staleness: an entry is served only while its fingerprint is the stem's current one and its input is alive.
 * Holds at most a few entries (training and validation inputs).
 */
export class FeatureCache {
  private entries: { input: tf.Tensor; key: string; features: tf.Tensor }[] = [];
  private static readonly LIMIT = 2;

  async get(input: tf.Tensor, key: string, compute: () => Promise<tf.Tensor>): Promise<tf.Tensor> {
    this.prune(key);
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

  /** Frees every entry that the rule says is stale under `key` (`null`: no key is current, all are stale). */
  prune(key: string | null): void {
    this.entries = this.entries.filter((e) => {
      const keep = key !== null && e.key === key && !e.input.isDisposed;
      if (!keep) e.features.dispose();
      return keep;
    });
  }

  clear(): void {
    this.prune(null);
  }
}
