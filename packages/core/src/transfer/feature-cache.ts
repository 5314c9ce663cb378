import type * as tf from '@tensorflow/tfjs-core';

interface Entry {
  input: tf.Tensor;
  key: string;
  /** Rows per input row: 1 for clean features, 1 + K with K augmented views (view-major). */
  views: number;
  /** Names the augmentation and seed the views were drawn with ('' for clean features). */
  variant: string;
  features: tf.Tensor;
}

/**
 * Base features per input tensor, each stored with the fingerprint of the stem that computed it. One rule decides
 * staleness: an entry is served only while its fingerprint is the stem's current one and its input is alive.
 * Holds at most a few entries (training and validation inputs).
 */
export class FeatureCache {
  private entries: Entry[] = [];
  private static readonly LIMIT = 2;

  /** The features of `input` as `variant` (views > 1: augmented views too), computed on a miss. */
  async get(
    input: tf.Tensor,
    key: string,
    compute: () => Promise<tf.Tensor>,
    variant = { name: '', views: 1 },
  ): Promise<tf.Tensor> {
    this.prune(key);
    const hit = this.entries.find((e) => e.input === input && e.variant === variant.name);
    if (hit) return hit.features;
    const features = await compute();
    this.entries.push({ input, key, features, views: variant.views, variant: variant.name });
    while (this.entries.length > FeatureCache.LIMIT) this.entries.shift()?.features.dispose();
    return features;
  }

  /** Any entry of `input` under `key` (its first rows are the clean features), or undefined. */
  find(input: tf.Tensor, key: string): { features: tf.Tensor; views: number } | undefined {
    this.prune(key);
    return this.entries.find((e) => e.input === input);
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
