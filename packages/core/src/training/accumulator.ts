import * as tf from '@tensorflow/tfjs-core';

/** One epoch's values per slot (loss first): the size-weighted mean and the plain sum over batches. */
export interface EpochValues {
  /** Size-weighted mean of each slot's first value: the loss and the mean metrics. */
  means: Float32Array;
  /** Each slot's values summed over batches: the counts stateful metrics (precision, auc) finish from. */
  sums: Float64Array[];
  /** The loss of each batch. */
  batchLosses: Float32Array;
}

/**
 * Per-batch loss and metric values, kept on the device as they are (no per-batch ops) and read back once per
 * epoch with one concat; means and sums are taken on the host. A slot is a scalar (a mean metric) or a vector
 * of counts (a stateful metric), the same size in every batch.
 */
export class Accumulator {
  private parts: tf.Tensor[] = [];
  private sizes: number[] = [];
  /** `values`: one tensor per slot (loss first), all kept past the caller's tidy. */
  add(values: tf.Tensor[], n: number): void {
    for (const v of values) this.parts.push(tf.keep(v));
    this.sizes.push(n);
  }
  async read(): Promise<EpochValues> {
    const batches = this.sizes.length;
    if (batches === 0) return { means: new Float32Array(0), sums: [], batchLosses: new Float32Array(0) };
    const width = this.parts.length / batches;
    const lengths = this.parts.slice(0, width).map((t) => t.size);
    const flat = tf.tidy(() => tf.concat(this.parts.map((t) => tf.reshape(t, [-1]))));
    const values = (await flat.data()) as Float32Array;
    flat.dispose();
    const stride = lengths.reduce((a, b) => a + b, 0);
    const offsets = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
    const weighted = new Float64Array(width);
    const sums = lengths.map((len) => new Float64Array(len));
    const batchLosses = new Float32Array(batches);
    let count = 0;
    for (let b = 0; b < batches; b++) {
      const row = b * stride;
      batchLosses[b] = values[row];
      for (let i = 0; i < width; i++) {
        weighted[i] += values[row + offsets[i]] * this.sizes[b];
        for (let j = 0; j < lengths[i]; j++) sums[i][j] += values[row + offsets[i] + j];
      }
      count += this.sizes[b];
    }
    this.clear();
    return { means: Float32Array.from(weighted, (v) => v / count), sums, batchLosses };
  }
  clear(): void {
    for (const p of this.parts) p.dispose();
    this.parts = [];
    this.sizes = [];
  }
}
