import type * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';
import { checkFinite, flatten } from './tensorize';

/** Labels: class indices, class names, one-hot / multi-hot rows, or regression targets. */
export type LabelInput =
  | tf.Tensor
  | ArrayLike<number>
  | string[]
  | number[][]
  | { data: ArrayLike<number>; shape: number[] };

/** What the label values look like; the loss is chosen from this and the model's output. */
export interface LabelInfo {
  /** 1: one value per sample; 2: a row per sample. */
  rank: 1 | 2;
  /** Row width (1 for rank 1). */
  width: number;
  integral: boolean;
  min: number;
  max: number;
  /** Every row is 0/1 with exactly one 1. */
  oneHot: boolean;
  /** Every value is 0 or 1. */
  binary: boolean;
}

export interface ParsedLabels {
  values: Float32Array;
  shape: number[];
  info: LabelInfo;
  classNames?: string[];
}

export function describeLabels(values: ArrayLike<number>, shape: number[]): LabelInfo {
  const width = shape.length === 1 ? 1 : shape[1];
  let integral = true;
  let binary = true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) integral = false;
    if (v !== 0 && v !== 1) binary = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let oneHot = shape.length === 2 && binary && width > 1;
  if (oneHot) {
    for (let r = 0; r < shape[0] && oneHot; r++) {
      let s = 0;
      for (let c = 0; c < width; c++) s += values[r * width + c];
      if (s !== 1) oneHot = false;
    }
  }
  return { rank: shape.length === 1 ? 1 : 2, width, integral, min, max, oneHot, binary };
}

/** Parses array labels eagerly; string labels become indices into sorted (or given) class names. */
export function parseLabels(y: unknown, classNames?: string[]): ParsedLabels {
  if (Array.isArray(y) && y.length > 0 && typeof y[0] === 'string') {
    const names = classNames ?? [...new Set(y as string[])].sort();
    const index = new Map(names.map((n, i) => [n, i]));
    const values = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (typeof v !== 'string')
        throw new GraftError(
          'INVALID_LABEL',
          `expected every label to be a string like the first, got ${describe(v)} at index ${i}`,
        );
      const k = index.get(v);
      if (k === undefined) {
        throw new GraftError(
          'INVALID_LABEL',
          `expected labels among the class names [${names.join(', ')}], got ${JSON.stringify(v)} at index ${i}`,
        );
      }
      values[i] = k;
    }
    const shape = [y.length];
    return { values, shape, info: describeLabels(values, shape), classNames: names };
  }
  let flat: { values: Float32Array; shape: number[] };
  try {
    flat = flatten(y, 'labels');
  } catch (e) {
    if (e instanceof GraftError && e.code === 'NON_FINITE_VALUE') throw e;
    if (e instanceof GraftError) throw new GraftError('INVALID_LABEL', e.message.replace(/^\[[A-Z_]+\] /, ''));
    throw e;
  }
  return fromFlat(flat.values, flat.shape, classNames);
}

export function fromFlat(values: Float32Array, shape: number[], classNames?: string[]): ParsedLabels {
  if (shape.length === 2 && shape[1] === 1) shape = [shape[0]];
  if (shape.length < 1 || shape.length > 2) {
    throw new GraftError(
      'INVALID_LABEL',
      `expected labels of rank 1 (one per sample) or 2 (a row per sample), got shape [${shape.join(', ')}]`,
    );
  }
  checkFinite(values, shape, 'labels');
  const info = describeLabels(values, shape);
  if (classNames && info.rank === 1 && info.integral && (info.min < 0 || info.max >= classNames.length)) {
    throw new GraftError(
      'LABEL_OUT_OF_RANGE',
      `expected class indices in 0..${classNames.length - 1} (${classNames.length} class names), got values from ${info.min} to ${info.max}`,
    );
  }
  return { values, shape, info, classNames };
}

/** Reads a label tensor's values (async: works on every backend). */
export async function parseLabelTensor(y: tf.Tensor, classNames?: string[]): Promise<ParsedLabels> {
  const values = Float32Array.from(await y.data());
  return fromFlat(values, [...y.shape], classNames);
}
