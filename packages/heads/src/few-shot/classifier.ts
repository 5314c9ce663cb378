import type { PredictInput } from '@graftjs/core';
import { describe, type EmbedSource, embedInput, embedSource, GraftError } from '@graftjs/core/adapter';
import * as tf from '@tensorflow/tfjs-core';
import { type FewShotOptions, labelName, type ResolvedFewShotOptions, resolveFewShotOptions } from './options';
import { baseName, decodeState, encodeExamples, type FewShotState } from './state';
import { type Example, knnVote, prepare, prototypeScores, prototypes, type Scores } from './vote';

/** One few-shot prediction: the class, its index in `classNames`, and a score per class (summing to 1). */
export interface FewShotPrediction {
  label: string;
  index: number;
  /** Per class, in `classNames` order: vote shares (knn) or softmax of -distance / temperature (prototype). */
  probabilities: number[];
  /** The same scores by class name (ml5's `confidencesByLabel`). */
  confidences: Record<string, number>;
}

/**
 * ml5's KNNClassifier and Teachable Machine's instant classes: a classifier with no training, on a frozen base's
 * embeddings. `addExample` stores an example's embedding under a label; `predict` lets the k nearest vote (or, in
 * prototype mode, picks the nearest class mean). Embeddings live in JavaScript arrays: it holds no tensors.
 */
export class FewShotClassifier {
  readonly options: ResolvedFewShotOptions;
  private readonly source: EmbedSource;
  private names: string[] = [];
  private examples: Example[] = [];
  private dim: number | null = null;
  private disposed = false;

  constructor(
    readonly base: unknown,
    options: FewShotOptions = {},
  ) {
    this.options = resolveFewShotOptions(options);
    this.source = embedSource(base, { pooling: this.options.pooling });
  }

  /** Class names in the order they were first added (the order of `probabilities`). */
  get classNames(): string[] {
    return [...this.names];
  }

  /** Stored examples per class name. */
  get exampleCounts(): Record<string, number> {
    const counts = Object.fromEntries(this.names.map((n) => [n, 0]));
    for (const e of this.examples) counts[this.names[e.label]] += 1;
    return counts;
  }

  /** Embeds one image (or a batch: every one an example of `label`) and stores it. */
  async addExample(x: PredictInput, label: string | number): Promise<void> {
    this.alive('addExample');
    const name = labelName(label);
    this.store(this.checkRows(await this.embedRows(x)), name);
  }

  /**
   * Stores embeddings directly: one vector, or rows [n, d] (an array or a tensor, which stays the caller's), all
   * under `label`. Nothing is stored if any row is refused.
   */
  async addEmbedding(vectors: tf.Tensor | number[] | number[][] | Float32Array, label: string | number): Promise<void> {
    this.alive('addEmbedding');
    const name = labelName(label);
    this.store(this.checkRows(await readRows(vectors)), name);
  }

  /** Classifies one image (one prediction) or a batch (one per sample), as `Model.predict` tells them apart. */
  async predict(x: PredictInput): Promise<FewShotPrediction | FewShotPrediction[]> {
    this.alive('predict');
    this.nonEmpty();
    const { embeddings, single } = await embedInput(x, this.source);
    const rows = await readRows(embeddings).finally(() => embeddings.dispose());
    const out = this.classify(this.checkRows(rows));
    return single ? out[0] : out;
  }

  /** Classifies embeddings directly: rows [n, d] (or one vector, still answered as a list of one). */
  async predictEmbedding(vectors: tf.Tensor | number[] | number[][] | Float32Array): Promise<FewShotPrediction[]> {
    this.alive('predictEmbedding');
    this.nonEmpty();
    return this.classify(this.checkRows(await readRows(vectors)));
  }

  /** Forgets one class and its examples (ml5's `clearLabel`). */
  clearClass(label: string | number): void {
    this.alive('clearClass');
    const name = labelName(label);
    const index = this.names.indexOf(name);
    if (index < 0)
      throw new GraftError(
        'UNKNOWN_CLASS',
        `expected one of the classes ${describe(this.names)}, got ${describe(name)}`,
      );
    this.names.splice(index, 1);
    this.examples = this.examples
      .filter((e) => e.label !== index)
      .map((e) => ({ label: e.label > index ? e.label - 1 : e.label, vector: e.vector }));
    if (this.examples.length === 0) this.dim = null;
  }

  /** Forgets every class (ml5's `clearAllLabels`). */
  clearAllClasses(): void {
    this.alive('clearAllClasses');
    this.names = [];
    this.examples = [];
    this.dim = null;
  }

  /** Frees the examples; the base stays the caller's. Later calls throw MODEL_DISPOSED. */
  dispose(): void {
    this.names = [];
    this.examples = [];
    this.disposed = true;
  }

  /**
   * Options, class names and every example's embedding as plain JSON-able data (write it with `JSON.stringify`).
   * The base is referenced by name, not copied: `FewShotClassifier.load(state, base)` takes it again.
   */
  save(): FewShotState {
    this.alive('save');
    const name = baseName(this.base);
    return {
      format: 'graft-few-shot',
      version: 1,
      ...(name === undefined ? {} : { base: name }),
      options: { ...this.options },
      classNames: [...this.names],
      dim: this.dim ?? 0,
      examples: encodeExamples(this.examples),
    };
  }

  /** A saved classifier (the state, or its JSON text) on its base again; the base must be the one it was saved on. */
  static load(saved: FewShotState | string, base: unknown): FewShotClassifier {
    const { state, examples } = decodeState(saved);
    const name = baseName(base);
    if (state.base !== undefined && name !== undefined && name !== state.base)
      throw new GraftError(
        'INVALID_BASE',
        `expected the base "${state.base}" this classifier was saved on, got "${name}"`,
      );
    const knn = new FewShotClassifier(base, state.options);
    knn.names = [...state.classNames];
    knn.examples = examples.map((e) => ({ label: e.label, vector: prepare(e.vector, knn.options.metric) }));
    knn.dim = examples.length > 0 ? state.dim : null;
    return knn;
  }

  private store(rows: Float32Array[], name: string): void {
    let index = this.names.indexOf(name);
    if (index < 0) index = this.names.push(name) - 1;
    for (const r of rows) this.examples.push({ label: index, vector: prepare(r, this.options.metric) });
  }

  private classify(rows: Float32Array[]): FewShotPrediction[] {
    const { k, metric, mode, temperature } = this.options;
    const protos = mode === 'prototype' ? prototypes(this.examples, this.names.length, metric) : null;
    return rows.map((r) => {
      const q = prepare(r, metric);
      const s: Scores = protos
        ? prototypeScores(q, protos, metric, temperature)
        : knnVote(q, this.examples, k, this.names.length, metric);
      const confidences = Object.fromEntries(this.names.map((n, i) => [n, s.probabilities[i]]));
      return { label: this.names[s.index], index: s.index, probabilities: s.probabilities, confidences };
    });
  }

  private async embedRows(x: PredictInput): Promise<Float32Array[]> {
    const { embeddings } = await embedInput(x, this.source);
    return readRows(embeddings).finally(() => embeddings.dispose());
  }

  private checkRows(rows: Float32Array[]): Float32Array[] {
    const width = rows[0]?.length ?? 0;
    if (rows.length === 0 || width === 0)
      throw new GraftError('EMPTY_DATA', 'expected at least one embedding with at least one value, got none');
    const want = this.dim ?? width;
    const bad = rows.find((r) => r.length !== want || r.some((v) => !Number.isFinite(v)));
    if (bad && bad.length !== want)
      throw new GraftError(
        'SHAPE_MISMATCH',
        `expected embeddings of ${want} values (the first examples'), got ${bad.length}; is this the same base?`,
      );
    if (bad) throw new GraftError('NON_FINITE_VALUE', 'expected finite embedding values, got NaN or Infinity');
    this.dim = want;
    return rows;
  }

  private nonEmpty(): void {
    if (this.examples.length === 0)
      throw new GraftError('NO_EXAMPLES', 'expected at least one example before predict: call addExample(x, label)');
  }

  private alive(method: string): void {
    if (this.disposed)
      throw new GraftError('MODEL_DISPOSED', `expected a live classifier, got ${method}() on a disposed one`);
  }
}

/** Rows of a vector, a list of vectors, or a tensor [d] / [n, d] (read, never freed here). */
async function readRows(v: unknown): Promise<Float32Array[]> {
  if (v instanceof tf.Tensor) {
    if (v.rank !== 1 && v.rank !== 2)
      throw new GraftError('SHAPE_MISMATCH', `expected embeddings [d] or [n, d], got a tensor [${v.shape.join(', ')}]`);
    const flat = (await v.data()) as Float32Array;
    const width = v.rank === 1 ? v.shape[0] : v.shape[1];
    return Array.from({ length: v.rank === 1 ? 1 : v.shape[0] }, (_, i) => flat.slice(i * width, (i + 1) * width));
  }
  if (v instanceof Float32Array) return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return [Float32Array.from(v)];
  if (Array.isArray(v) && v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number')))
    return v.map((r) => Float32Array.from(r));
  throw new GraftError(
    'INVALID_DATA',
    `expected embeddings as numbers, rows of numbers or a tensor, got ${describe(v)}`,
  );
}
