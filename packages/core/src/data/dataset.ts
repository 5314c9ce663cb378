import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';
import { type LabelInfo, type LabelInput, parseLabels, parseLabelTensor } from './labels';
import { createRng, permutation } from './rng';
import { splitRows } from './split-rows';
import { checkFinite, type NumericInput, toTensor } from './tensorize';

export interface DatasetOptions {
  /** Names of the classes, in index order. Kept with the model after fit. */
  classNames?: string[];
}

export interface SplitOptions {
  seed?: number;
  /** Keep each class's share equal in both parts (default true for class labels). */
  stratify?: boolean;
}

/**
 * Samples (and optionally labels) held as tensors, validated once. A Dataset owns its tensors:
 * `dispose()` frees them. Inputs that were tensors are cloned, so the caller keeps theirs.
 */
export class Dataset {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor | null;
  /** Class names when labels were strings or names were given. */
  readonly classNames?: string[];
  private info: LabelInfo | null;
  private checked: boolean;
  private readonly ownsX: boolean;

  private constructor(
    x: tf.Tensor,
    y: tf.Tensor | null,
    info: LabelInfo | null,
    classNames: string[] | undefined,
    checked: boolean,
    ownsX = true,
  ) {
    this.x = x;
    this.y = y;
    this.info = info;
    this.classNames = classNames;
    this.checked = checked;
    this.ownsX = ownsX;
  }

  /** Builds a Dataset from nested arrays, typed arrays with a shape, or tensors; labels as indices, names or rows. */
  static from(x: NumericInput, y?: LabelInput | null, options: DatasetOptions = {}): Dataset {
    if (x instanceof Dataset) return x;
    if (options.classNames !== undefined) validateClassNames(options.classNames);
    let xt: tf.Tensor = toTensor(x, 'x');
    let yt: tf.Tensor | null = null;
    try {
      if (xt.rank < 2 && !(y === undefined || y === null)) {
        // a flat array of scalars: one feature per sample
        const r = tf.reshape(xt, [xt.shape[0], 1]);
        xt.dispose();
        xt = r;
      }
      if (xt.shape[0] === 0) throw new GraftError('EMPTY_DATA', 'expected at least one sample, got 0');
      if (y === undefined || y === null)
        return new Dataset(xt, null, null, options.classNames, !(x instanceof tf.Tensor));
      if (y instanceof tf.Tensor) {
        if (y.shape[0] !== xt.shape[0]) {
          throw new GraftError(
            'LENGTH_MISMATCH',
            `expected as many labels as samples (${xt.shape[0]}), got ${y.shape[0]}`,
          );
        }
        yt = y.dtype === 'float32' ? tf.clone(y) : tf.cast(y, 'float32');
        return new Dataset(xt, yt, null, options.classNames, false);
      }
      const parsed = parseLabels(y, options.classNames);
      if (parsed.shape[0] !== xt.shape[0]) {
        throw new GraftError(
          'LENGTH_MISMATCH',
          `expected as many labels as samples (${xt.shape[0]}), got ${parsed.shape[0]}`,
        );
      }
      yt = tf.tensor(parsed.values, parsed.shape, 'float32');
      return new Dataset(xt, yt, parsed.info, parsed.classNames, !(x instanceof tf.Tensor));
    } catch (e) {
      xt.dispose();
      yt?.dispose();
      throw e;
    }
  }

  get size(): number {
    return this.x.shape[0];
  }

  /** Shape of one sample. */
  get sampleShape(): number[] {
    return this.x.shape.slice(1);
  }

  get isDisposed(): boolean {
    return this.x.isDisposed;
  }

  /** Label description; reads tensor labels once (async so it works on every backend). */
  async labels(): Promise<LabelInfo | null> {
    await this.validate();
    return this.info;
  }

  /** Checks tensor-sourced values once: finite samples and labels. Array inputs were checked on creation. */
  async validate(): Promise<void> {
    if (this.isDisposed) throw new GraftError('INVALID_DATA', 'this Dataset was disposed');
    if (this.size === 0) throw new GraftError('EMPTY_DATA', 'expected a Dataset with at least one sample, got 0');
    if (this.checked && (this.y === null || this.info !== null)) return;
    if (!this.checked) {
      const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(this.x))));
      const anyBad = (await bad.data())[0];
      bad.dispose();
      if (anyBad) {
        const values = await this.x.data();
        checkFinite(values, this.x.shape, 'x');
      }
      this.checked = true;
    }
    if (this.y && this.info === null) {
      const parsed = await parseLabelTensor(this.y, this.classNames);
      this.info = parsed.info;
    }
  }

  /** A new Dataset with the samples at `indices` (integers in [0, size), at least one), in that order. */
  take(indices: ArrayLike<number>): Dataset {
    if (this.isDisposed) throw new GraftError('INVALID_DATA', 'this Dataset was disposed');
    const rows = checkIndices(indices, this.size);
    const idx = tf.tensor1d(rows, 'int32');
    try {
      const x = tf.gather(this.x, idx);
      const y = this.y ? tf.gather(this.y, idx) : null;
      // remember where the rows came from: a feature cache on the source serves its splits too
      const origin = ORIGINS.get(this.x);
      ORIGINS.set(
        x,
        origin ? { source: origin.source, rows: rows.map((r) => origin.rows[r]) } : { source: this.x, rows },
      );
      return new Dataset(x, y, null, this.classNames, this.checked);
    } finally {
      idx.dispose();
    }
  }

  /** A shuffled copy (seeded). */
  shuffle(seed?: number): Dataset {
    return this.take(permutation(this.size, createRng(seed)));
  }

  /**
   * Splits into [first, second] with `fraction` of the samples in the second part (e.g. 0.2 for a test set).
   * Seeded; stratified by class for class labels unless `stratify: false`.
   */
  async split(fraction: number, options: SplitOptions = {}): Promise<[Dataset, Dataset]> {
    if (!(fraction > 0 && fraction < 1)) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected a split fraction strictly between 0 and 1, got ${describe(fraction)}`,
      );
    }
    const [a, b] = await this.splitIndices(fraction, options);
    if (a.length === 0 || b.length === 0) {
      throw new GraftError('INVALID_OPTION', `split ${fraction} of ${this.size} samples leaves an empty part`);
    }
    return [this.take(a), this.take(b)];
  }

  /** Indices of a seeded (stratified) split: [kept, heldOut]. */
  async splitIndices(fraction: number, options: SplitOptions = {}): Promise<[number[], number[]]> {
    await this.validate();
    const info = this.info;
    const classLabels = this.y && info && info.rank === 1 && info.integral && info.min >= 0;
    const stratify = (options.stratify ?? Boolean(classLabels)) && this.y !== null;
    return splitRows(this.size, fraction, options.seed, stratify ? await this.classIndices() : null);
  }

  /** Class index per sample (argmax for one-hot rows). */
  async classIndices(): Promise<number[]> {
    if (!this.y) throw new GraftError('INVALID_DATA', 'this Dataset has no labels');
    const y = this.y;
    const t = y.rank === 2 ? tf.tidy(() => tf.argMax(y, 1)) : y;
    const values = Array.from(await t.data());
    if (t !== y) t.dispose();
    return values;
  }

  /**
   * The same samples with other labels (taking ownership of `y`). The samples are shared, not copied, so a
   * feature cache keyed on them still serves: disposing the result frees only its labels.
   */
  relabel(y: tf.Tensor, classNames: string[]): Dataset {
    return new Dataset(this.x, y, null, classNames, this.checked, false);
  }

  /** Frees the tensors. */
  dispose(): void {
    if (this.ownsX) this.x.dispose();
    this.y?.dispose();
  }
}

function validateClassNames(names: unknown): void {
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected classNames as a non-empty array of strings, got ${describe(names)}`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new GraftError('INVALID_OPTION', `expected distinct classNames, got duplicates in [${names.join(', ')}]`);
  }
}

const ORIGINS = new WeakMap<tf.Tensor, { source: tf.Tensor; rows: Int32Array }>();

/** `indices` as int32 rows, refused whole unless every one is an integer in [0, size) and there is at least one. */
export function checkIndices(indices: unknown, size: number): Int32Array {
  if (typeof indices !== 'object' || indices === null || typeof (indices as ArrayLike<number>).length !== 'number') {
    throw new GraftError(
      'INVALID_DATA',
      `expected take(indices) with an array of sample indices, got ${describe(indices)}`,
    );
  }
  const list = indices as ArrayLike<unknown>;
  if (list.length === 0) {
    throw new GraftError('EMPTY_DATA', 'expected take(indices) with at least one index, got none (an empty Dataset)');
  }
  const rows = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (typeof r !== 'number' || !Number.isInteger(r)) {
      throw new GraftError('INVALID_DATA', `expected integer sample indices, got ${describe(r)} at indices[${i}]`);
    }
    if (r < 0 || r >= size) {
      throw new GraftError(
        'INDEX_OUT_OF_RANGE',
        `expected sample indices in [0, ${size - 1}] (the Dataset holds ${size}), got ${r} at indices[${i}]`,
        { index: r, size },
      );
    }
    rows[i] = r;
  }
  return rows;
}

/** The tensor a Dataset's samples were taken from, and which rows, when it came from `take`/`split`/`shuffle`. */
export function originOf(x: tf.Tensor): { source: tf.Tensor; rows: Int32Array } | undefined {
  const o = ORIGINS.get(x);
  return o && !o.source.isDisposed ? o : undefined;
}

/** Shorthand for `Dataset.from`. */
export function dataset(x: NumericInput, y?: LabelInput | null, options?: DatasetOptions): Dataset {
  return Dataset.from(x, y, options);
}
