import * as tf from '@tensorflow/tfjs-core';
import { describe, GraftError } from '../errors/graft-error';
import { isTextArray, textRows } from './text';

/** Numeric input a user can hand graft: nested arrays, typed arrays with a shape, or tensors. */
export type NumericInput =
  | tf.Tensor
  | number[]
  | number[][]
  | number[][][]
  | number[][][][]
  | ArrayLike<number>[]
  | readonly string[]
  | { data: ArrayLike<number>; shape: number[] };

export interface Flat {
  values: Float32Array;
  shape: number[];
}

function isNumberLike(v: unknown): v is number {
  return typeof v === 'number';
}

function inferShape(x: unknown, what: string): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur) || ArrayBuffer.isView(cur)) {
    const arr = cur as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    if (ArrayBuffer.isView(cur)) break;
    cur = arr[0];
  }
  if (shape.length === 0)
    throw new GraftError('INVALID_DATA', `expected ${what} as an array, typed array or tensor, got ${describe(x)}`);
  return shape;
}

/** Flattens nested arrays into float32, checking every row has the same shape and every value is a finite number. */
export function flatten(x: unknown, what: string): Flat {
  if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x && !(x instanceof tf.Tensor)) {
    const { data, shape } = x as { data: ArrayLike<number>; shape: number[] };
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new GraftError(
        'SHAPE_MISMATCH',
        `expected ${what}.shape as an array of non-negative integers, got ${describe(shape)}${Array.isArray(shape) ? ` [${shape.join(', ')}]` : ''}`,
      );
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (typeof data?.length !== 'number') {
      throw new GraftError('INVALID_DATA', `expected ${what}.data as an array or typed array, got ${describe(data)}`);
    }
    if (data.length !== size) {
      throw new GraftError(
        'SHAPE_MISMATCH',
        `expected ${what}.data to hold ${size} values for shape [${shape.join(', ')}], got ${data.length}`,
      );
    }
    checkFinite(data, shape, what);
    const values = Float32Array.from(data);
    checkFloat32Range(values, data, shape, what);
    return { values, shape: [...shape] };
  }
  const shape = inferShape(x, what);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  let offset = 0;
  const walk = (node: unknown, depth: number, path: number[]) => {
    const expected = shape[depth];
    const isArr = Array.isArray(node) || ArrayBuffer.isView(node);
    if (!isArr) {
      throw new GraftError(
        'SHAPE_MISMATCH',
        `expected ${what}[${path.join('][')}] to be an array of length ${expected}, got ${describe(node)}`,
      );
    }
    const arr = node as ArrayLike<unknown>;
    if (arr.length !== expected) {
      throw new GraftError(
        'SHAPE_MISMATCH',
        `expected every ${what} row at depth ${depth} to have length ${expected} (shape [${shape.join(', ')}]), got ${arr.length} at ${what}[${path.join('][')}]`,
      );
    }
    if (depth === shape.length - 1) {
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        if (!isNumberLike(v)) {
          throw new GraftError(
            'INVALID_DATA',
            `expected numbers in ${what}, got ${describe(v)} at ${what}[${[...path, i].join('][')}]`,
          );
        }
        if (!Number.isFinite(v)) {
          throw new GraftError(
            'NON_FINITE_VALUE',
            `expected finite numbers in ${what}, got ${v} at ${what}[${[...path, i].join('][')}]`,
          );
        }
        values[offset] = v;
        if (!Number.isFinite(values[offset++])) throw float32Overflow(v, `${what}[${[...path, i].join('][')}]`, what);
      }
      return;
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, [...path, i]);
  };
  walk(x, 0, []);
  return { values, shape };
}

// float32 holds magnitudes up to about 3.4e38; a larger finite number would silently become Infinity.
function float32Overflow(v: unknown, where: string, what: string): GraftError {
  return new GraftError(
    'NON_FINITE_VALUE',
    `expected numbers within float32's range (about ±3.4e38) in ${what}, got ${v} at ${where}, which float32 stores as Infinity`,
  );
}

function checkFloat32Range(values: Float32Array, source: ArrayLike<number>, shape: number[], what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const rowSize = shape.slice(1).reduce((a, b) => a * b, 1) || 1;
      throw float32Overflow(source[i], `sample ${Math.floor(i / rowSize)}`, what);
    }
  }
}

export function checkFinite(values: ArrayLike<number>, shape: number[], what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const rowSize = shape.slice(1).reduce((a, b) => a * b, 1) || 1;
      throw new GraftError(
        'NON_FINITE_VALUE',
        `expected finite numbers in ${what}, got ${values[i]} in sample ${Math.floor(i / rowSize)}`,
      );
    }
  }
}

/** A float32 tensor from any numeric input. Tensors are cloned so the caller keeps ownership of theirs. */
export function toTensor(x: unknown, what: string): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new GraftError('INVALID_DATA', `${what} is a disposed tensor`);
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      throw new GraftError('INVALID_DATA', `expected a numeric ${what} tensor, got dtype ${x.dtype}`);
    }
    return x.dtype === 'float32' ? tf.clone(x) : tf.cast(x, 'float32');
  }
  // texts become rows of character codes, which a text model's base decodes (data/text.ts)
  if (isTextArray(x)) return textRows(x, what);
  const { values, shape } = flatten(x, what);
  return tf.tensor(values, shape, 'float32');
}
