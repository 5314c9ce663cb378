import * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import type { LossFn, LossName, MetricName } from '../model/losses';
import type { Task } from '../model/predictions';

/**
 * What a head is: built on the base's (pooled) features; loss, activation and metrics follow from it. `T`, the
 * task as a literal type, types the model's predictions (`addHead(spec)` on a `HeadSpec<'classification'>`).
 */
export interface HeadSpec<T extends Task = Task> {
  kind: 'classifier' | 'multiLabel' | 'regression' | 'embedding' | (string & {});
  units: number;
  activation: 'softmax' | 'sigmoid' | 'linear';
  /** Hidden Dense layers (relu) before the output. */
  hidden?: number[];
  /** Dropout rate before each Dense layer of the head. */
  dropout?: number;
  task: T;
  loss: LossName | { name: string; fn: LossFn };
  metrics: MetricName[];
  /** Extra layers after the output Dense (e.g. L2 normalisation for embeddings). */
  finish?(x: tfl.SymbolicTensor): tfl.SymbolicTensor;
}

export function checkUnits(units: unknown, what: string): asserts units is number {
  if (!(typeof units === 'number' && Number.isInteger(units) && units > 0)) {
    throw new GraftError('INVALID_HEAD', `expected ${what} as a positive integer, got ${describe(units)}`);
  }
}

/** A softmax classifier head: what `addHead(n)` means. */
export function classifierHead(
  units: number,
  options: { hidden?: number[]; dropout?: number } = {},
): HeadSpec<'classification'> {
  checkUnits(units, 'the number of classes');
  for (const h of options.hidden ?? []) checkUnits(h, 'hidden layer units');
  if (options.dropout !== undefined && !(options.dropout >= 0 && options.dropout < 1)) {
    throw new GraftError('INVALID_HEAD', `expected head dropout in [0, 1), got ${describe(options.dropout)}`);
  }
  return {
    kind: 'classifier',
    units,
    activation: 'softmax',
    hidden: options.hidden,
    dropout: options.dropout,
    task: 'classification',
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  };
}

/** Builds the head as its own LayersModel over features of `featureShape`. */
export function buildHead(spec: HeadSpec, featureShape: number[], seed?: number, name = 'head'): tfl.LayersModel {
  const input = tfl.input({ shape: featureShape, name: `${name}_input` });
  let x: tfl.SymbolicTensor = input;
  if (featureShape.length > 1) x = tfl.layers.flatten({ name: `${name}_flatten` }).apply(x) as tfl.SymbolicTensor;
  const init = (i: number) =>
    seed === undefined ? 'glorotUniform' : tfl.initializers.glorotUniform({ seed: seed * 104729 + i });
  const dense = [...(spec.hidden ?? []), spec.units];
  dense.forEach((units, i) => {
    if (spec.dropout)
      x = tfl.layers.dropout({ rate: spec.dropout, name: `${name}_dropout_${i}` }).apply(x) as tfl.SymbolicTensor;
    const last = i === dense.length - 1;
    x = tfl.layers
      .dense({
        units,
        activation: last ? spec.activation : 'relu',
        kernelInitializer: init(i) as never,
        name: last ? `${name}_output` : `${name}_dense_${i}`,
      })
      .apply(x) as tfl.SymbolicTensor;
  });
  if (spec.finish) x = spec.finish(x);
  return tfl.model({ inputs: input, outputs: x, name });
}

export function isHeadSpec(x: unknown): x is HeadSpec {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as HeadSpec).units === 'number' &&
    typeof (x as HeadSpec).activation === 'string'
  );
}
