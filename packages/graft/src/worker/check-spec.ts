import { describe, GraftError } from '@graftjs/core';
import { type ModelSpec, SEQUENTIAL_LAYERS, type TrainingData } from './protocol';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a model spec on the calling thread, so a bad spec fails before any data crosses to the worker. */
export function checkSpec(spec: unknown): asserts spec is ModelSpec {
  if (!isPlainObject(spec)) {
    throw new GraftError('INVALID_OPTION', `expected a model spec object with a kind, got ${describe(spec)}`);
  }
  if (spec.kind === 'sequential') {
    if (!Array.isArray(spec.inputShape) || spec.inputShape.length === 0) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected a sequential spec with a non-empty inputShape, got ${describe(spec.inputShape)}`,
      );
    }
    if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
      throw new GraftError(
        'INVALID_LAYER',
        `expected a sequential spec with a non-empty layers list, got ${describe(spec.layers)}`,
      );
    }
    spec.layers.forEach((l, i) => {
      const name = isPlainObject(l) ? l.layer : undefined;
      if (!SEQUENTIAL_LAYERS.includes(name as never)) {
        throw new GraftError(
          'INVALID_LAYER',
          `expected layers[${i}].layer among ${SEQUENTIAL_LAYERS.join(', ')}, got ${describe(name)}`,
        );
      }
      const args = (l as { args?: unknown }).args;
      if (args !== undefined && !Array.isArray(args)) {
        throw new GraftError('INVALID_LAYER', `expected layers[${i}].args as an array, got ${describe(args)}`);
      }
    });
    return;
  }
  if (spec.kind === 'transfer') {
    if (typeof spec.backbone !== 'string' || spec.backbone === '') {
      throw new GraftError(
        'UNKNOWN_BACKBONE',
        `expected a zoo catalogue name as backbone, got ${describe(spec.backbone)}`,
      );
    }
    const classes = isPlainObject(spec.head) ? spec.head.classes : spec.head;
    if (!(typeof classes === 'number' && Number.isInteger(classes) && classes > 0)) {
      throw new GraftError('INVALID_HEAD', `expected head as a positive number of classes, got ${describe(classes)}`);
    }
    if (spec.from !== undefined && typeof spec.from !== 'string' && !isPlainObject(spec.from)) {
      throw new GraftError(
        'INVALID_OPTION',
        `expected from as an absolute URL or a map of file name to bytes, got ${describe(spec.from)}`,
      );
    }
    return;
  }
  if (spec.kind === 'continue') return;
  throw new GraftError(
    'INVALID_OPTION',
    `expected spec.kind "sequential", "transfer" or "continue", got ${describe(spec.kind)}`,
  );
}

/** Checks the typed-array training data, so the worker never receives something it cannot tensorise. */
export function checkData(data: unknown): asserts data is TrainingData {
  if (!isPlainObject(data) || !isPlainObject(data.x)) {
    throw new GraftError('INVALID_DATA', `expected data as { x: { data, shape }, y }, got ${describe(data)}`);
  }
  const { data: values, shape } = data.x as { data?: unknown; shape?: unknown };
  if (!ArrayBuffer.isView(values)) {
    throw new GraftError('INVALID_DATA', `expected data.x.data as a typed array, got ${describe(values)}`);
  }
  if (!Array.isArray(shape) || shape.length < 2 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `expected data.x.shape as [samples, ...sample] of positive integers, got ${describe(shape)}`,
    );
  }
  const size = shape.reduce((a: number, b: number) => a * b, 1);
  if ((values as unknown as ArrayLike<number>).length !== size) {
    throw new GraftError(
      'SHAPE_MISMATCH',
      `expected data.x.data to hold ${size} values for shape [${shape.join(', ')}], got ${(values as unknown as ArrayLike<number>).length}`,
    );
  }
  const y = data.y as unknown;
  if (!(Array.isArray(y) || ArrayBuffer.isView(y))) {
    throw new GraftError('INVALID_LABEL', `expected data.y as an array of class indices or names, got ${describe(y)}`);
  }
  if ((y as ArrayLike<unknown>).length !== shape[0]) {
    throw new GraftError(
      'LENGTH_MISMATCH',
      `expected as many labels as samples (${shape[0]}), got ${(y as ArrayLike<unknown>).length}`,
    );
  }
}
