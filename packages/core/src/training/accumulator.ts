import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-batch loss and metric scalars, kept on the device as they are (no per-batch ops) and read back once
 * per epoch with one stack; the size-weighted means are taken on the host.
 */
export class Accumulator {
  private parts: tf.Tensor[] = [];
  private sizes: number[] = [];
  /** `values`: one scalar per name (loss first), all kept past the caller's tidy. */
  add(values: tf.Tensor[], n: number): void {
    for (const v of values) this.parts.push(tf.keep(v));
    this.sizes.push(n);
  }
  async read(): Promise<{ means: Float32Array; perBatch: Float32Array }> {
    const batches = this.sizes.length;
    if (batches === 0) return { means: new Float32Array(0), perBatch: new Float32Array(0) };
    const width = this.parts.length / batches;
    const stacked = tf.stack(this.parts);
    const perBatch = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const sums = new Float64Array(width);
    let count = 0;
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < width; i++) sums[i] += perBatch[b * width + i] * this.sizes[b];
      count += this.sizes[b];
    }
    this.clear();
    return { means: Float32Array.from(sums, (v) => v / count), perBatch };
  }
  clear(): void {
    for (const p of this.parts) p.dispose();
    this.parts = [];
    this.sizes = [];
  }
}
