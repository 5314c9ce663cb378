import * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import type { LossFn, LossName, MetricName } from '../model/losses';
import type { Task } from '../model/predictions';
import { checkOutputLayer, type OutputLayerOptions, outputDenseConfig, outputLayerOf } from './output-layer';

/**
 * What a head is: built on the base's (pooled) features; loss, activation and metrics follow from it. `T`, the
 * task as a literal type, types the model's predictions (`addHead(spec)` on a `HeadSpec<'classification'>`).
 */
export interface HeadSpec<T extends Task = Task> extends OutputLayerOptions {
  kind: 'classifier' | 'binary' | 'multiLabel' | 'regression' | 'embedding' | (string & {});
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

/**
 * The most units one head layer may have: beyond ImageNet-21k's 21,843 classes with room to spare, and far below
 * where a Dense layer's kernel stops fitting in memory (1e9 units on 1024 features would be 4 TB).
 */
export const MAX_HEAD_UNITS = 100_000;

export function checkUnits(units: unknown, what: string): asserts units is number {
  if (!(typeof units === 'number' && Number.isInteger(units) && units > 0)) {
    throw new GraftError('INVALID_HEAD', `expected ${what} as a positive integer, got ${describe(units)}`);
  }
  if (units > MAX_HEAD_UNITS) {
    throw new GraftError('INVALID_HEAD', `expected ${what} at most ${MAX_HEAD_UNITS}, got ${units}`);
  }
}

/** Options every head factory takes (Keras: the Dense stack before the output, and the output layer's own). */
export interface HeadOptions extends OutputLayerOptions {
  /** Hidden Dense (relu) layers before the output, e.g. [128]. */
  hidden?: number[];
  /** Dropout rate before each Dense layer. */
  dropout?: number;
}

export function checkHeadOptions(options: unknown): asserts options is HeadOptions {
  if (typeof options !== 'object' || options === null)
    throw new GraftError('INVALID_HEAD', `expected head options as an object, got ${describe(options)}`);
  const { hidden, dropout } = options as HeadOptions;
  if (hidden !== undefined) {
    if (!Array.isArray(hidden))
      throw new GraftError('INVALID_HEAD', `expected hidden as an array of units, got ${describe(hidden)}`);
    for (const h of hidden) checkUnits(h, 'hidden layer units');
  }
  if (dropout !== undefined && !(typeof dropout === 'number' && dropout >= 0 && dropout < 1)) {
    throw new GraftError('INVALID_HEAD', `expected dropout in [0, 1), got ${describe(dropout)}`);
  }
  checkOutputLayer(options as OutputLayerOptions);
}

/** One label per sample out of `classes`: softmax, sparse categorical cross-entropy, accuracy (`addHead(n)`). */
export function classifier(classes: number, options: HeadOptions = {}): HeadSpec<'classification'> {
  checkUnits(classes, 'the number of classes');
  if (classes === 1) {
    throw new GraftError(
      'INVALID_HEAD',
      'expected at least 2 classes for a softmax classifier, got 1 (a one-class softmax always outputs 1); for one of two classes use binary() from @graftjs/heads',
    );
  }
  checkHeadOptions(options);
  return {
    kind: 'classifier',
    units: classes,
    activation: 'softmax',
    hidden: options.hidden,
    dropout: options.dropout,
    ...outputLayerOf(options),
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
        ...(last ? outputDenseConfig(spec, init(i)) : { kernelInitializer: init(i) as never }),
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

export type { OutputLayerOptions } from './output-layer';
