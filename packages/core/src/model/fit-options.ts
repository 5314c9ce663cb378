import { Dataset } from '../data/dataset';
import type { ImageIterable } from '../data/images/image-iterable';
import type { ImageStream } from '../data/images/image-stream';
import type { LabelInput } from '../data/labels';
import { featureShardSets, imageIterables, imageStreams } from '../data/source-brands';
import type { NumericInput } from '../data/tensorize';
import { describe, GraftError } from '../errors/graft-error';
import { type CheckpointOptions, checkCheckpointOptions, checkpointLocation } from '../io/checkpoint-options';
import type { Callbacks, EarlyStoppingOptions } from '../training/callbacks';
import type { FeatureShards } from '../transfer/shards/feature-shards';
import { checkBatchSize } from './batch-size';
import { type ClassWeight, checkClassWeight } from './class-weight-option';
import { checkLearningRate } from './optimizers';

export { checkBatchSize } from './batch-size';

export interface FitOptions extends Callbacks {
  /**
   * Default 1, as Keras, for a network that trains whole. Differs on purpose for a head on cached features of a
   * frozen base: given neither `epochs` nor `learningRate`, a linear head is solved and any other head trains
   * with early stopping (docs/transfer-learning.md, "What fit does with no options"); `lastFit.solver` says which.
   */
  epochs?: number;
  /** Default 32, as Keras. */
  batchSize?: number;
  /** Fraction of the training data held out (seeded, stratified by class) for validation. */
  validationSplit?: number;
  validationData?: Dataset | [NumericInput, LabelInput];
  /** Shuffle every epoch (default true). */
  shuffle?: boolean;
  /**
   * Seeds shuffling, the validation split, dropout, the head solver's folds and, on a model not built yet whose
   * builder got no seed, the initial weights: same seed, same backend, same weights.
   */
  seed?: number;
  /** Overrides the compiled learning rate (rebuilds the optimizer). */
  learningRate?: number;
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Stops at the next batch; the fit resolves with the model as trained so far. */
  signal?: AbortSignal;
  /** 'stop' (default): a NaN/Inf loss throws NON_FINITE_LOSS and rolls weights back. */
  nonFinite?: 'stop' | 'continue';
  /** Extra callback objects, Keras style. */
  callbacks?: Callbacks[];
  /**
   * Keras' `class_weight`: weights each training sample's loss by its class, `{ 0: 1, 1: 10 }` or by class name
   * `{ spam: 10 }` (classes left out weigh 1), or 'balanced' (n_samples / (n_classes * count_c), sklearn's).
   * Validation loss and evaluate stay unweighted, as in Keras.
   */
  classWeight?: ClassWeight;
  /** Class names for integer labels (string labels bring their own). */
  classNames?: string[];
  /** Transfer models: compute frozen base features once (default true when allowed). */
  featureCache?: boolean;
  /** Write weights, optimizer state, epoch and history every `every` epochs, atomically (file or IndexedDB). */
  checkpoint?: CheckpointOptions;
  /** Continue from a checkpoint (file path or `indexeddb://name`) written by the same model; `epochs` stays the total. */
  resume?: string;
}

export interface NormalisedFitOptions {
  epochs: number;
  batchSize: number;
  validationSplit?: number;
  validationData?: Dataset | [NumericInput, LabelInput];
  shuffle: boolean;
  seed?: number;
  learningRate?: number;
  earlyStopping?: EarlyStoppingOptions;
  signal?: AbortSignal;
  nonFinite: 'stop' | 'continue';
  featureCache: boolean;
  checkpoint?: CheckpointOptions;
  resume?: string;
}

function checkedOptions(o: FitOptions): NormalisedFitOptions {
  if (typeof o !== 'object' || o === null)
    throw new GraftError('INVALID_OPTION', `expected fit options as an object, got ${describe(o)}`);
  const epochs = o.epochs ?? 1;
  if (!(Number.isInteger(epochs) && epochs > 0))
    throw new GraftError('INVALID_OPTION', `expected epochs as a positive integer, got ${describe(o.epochs)}`);
  const batchSize = o.batchSize ?? 32;
  checkBatchSize(batchSize);
  if (o.validationSplit !== undefined && !(o.validationSplit > 0 && o.validationSplit < 1)) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected validationSplit strictly between 0 and 1, got ${describe(o.validationSplit)}`,
    );
  }
  if (o.validationSplit !== undefined && o.validationData !== undefined) {
    throw new GraftError('INVALID_OPTION', 'pass validationSplit or validationData, not both');
  }
  if (
    o.validationData !== undefined &&
    !(o.validationData instanceof Dataset) &&
    !(Array.isArray(o.validationData) && o.validationData.length === 2)
  ) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected validationData as a Dataset or [x, y], got ${describe(o.validationData)}`,
    );
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed))
    throw new GraftError('INVALID_OPTION', `expected seed as an integer, got ${describe(o.seed)}`);
  checkLearningRate(o.learningRate);
  if (o.nonFinite !== undefined && o.nonFinite !== 'stop' && o.nonFinite !== 'continue') {
    throw new GraftError('INVALID_OPTION', `expected nonFinite as "stop" or "continue", got ${describe(o.nonFinite)}`);
  }
  if (o.signal !== undefined && typeof o.signal?.aborted !== 'boolean') {
    throw new GraftError('INVALID_OPTION', `expected signal as an AbortSignal, got ${describe(o.signal)}`);
  }
  if (o.featureCache !== undefined && typeof o.featureCache !== 'boolean') {
    throw new GraftError('INVALID_OPTION', `expected featureCache as true or false, got ${describe(o.featureCache)}`);
  }
  const es = o.earlyStopping === true ? {} : o.earlyStopping === false ? undefined : o.earlyStopping;
  return {
    epochs,
    batchSize,
    validationSplit: o.validationSplit,
    validationData: o.validationData,
    shuffle: o.shuffle ?? true,
    seed: o.seed,
    learningRate: o.learningRate,
    earlyStopping: es,
    signal: o.signal,
    nonFinite: o.nonFinite ?? 'stop',
    featureCache: o.featureCache ?? true,
    checkpoint: o.checkpoint,
    resume: o.resume,
  };
}

export type FitArgs = [
  Dataset | ImageStream | ImageIterable | FeatureShards | NumericInput,
  (LabelInput | FitOptions)?,
  FitOptions?,
];

/** One fit call, its arguments told apart and checked: nothing has run when this throws. */
export interface FitCall {
  data: Dataset | NumericInput;
  labels?: LabelInput;
  /** As the user gave them: the fit-level callbacks and `classNames` are read from here. */
  options: FitOptions;
  opts: NormalisedFitOptions;
}

/** A fit call as given: its data may still be a streamed image source (model/stream-call.ts resolves it). */
export interface ParsedFitCall extends Omit<FitCall, 'data'> {
  data: FitCall['data'] | ImageStream | ImageIterable | FeatureShards;
}

/** `fit(x, y, options)` or `fit(dataset, options)`, with every option checked before any state changes. */
export function parseFitArgs([x, yOrOptions, maybeOptions]: FitArgs): ParsedFitCall {
  const isDataset = x instanceof Dataset || imageStreams.is(x) || imageIterables.is(x) || featureShardSets.is(x);
  const options: FitOptions = (isDataset ? (yOrOptions as FitOptions) : maybeOptions) ?? {};
  const labels = isDataset ? undefined : (yOrOptions as LabelInput | undefined);
  const opts = checkedOptions(options);
  checkClassWeight(options.classWeight);
  if (options.checkpoint !== undefined) checkCheckpointOptions(options.checkpoint);
  if (options.resume !== undefined) checkpointLocation(options.resume, 'resume');
  if (!isDataset && (labels === undefined || labels === null)) {
    throw new GraftError(
      'INVALID_LABEL',
      'fit(x, y) expects labels y; pass a Dataset or labels as the second argument',
    );
  }
  return { data: x, labels, options, opts };
}
