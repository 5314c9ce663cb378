import { mapClasses } from '../data/class-mapping';
import { Dataset } from '../data/dataset';
import type { LabelInfo, LabelInput } from '../data/labels';
import type { NumericInput } from '../data/tensorize';
import { GraftError } from '../errors/graft-error';
import { checkSample, type FeatureStage } from './feature-stage';
import type { FitCall } from './fit-options';
import type { Scope } from './fit-scope';

/** The data of one fit, validated: what trains, what validates, and the training labels. */
export interface FitData {
  train: Dataset;
  val: Dataset | null;
  info: LabelInfo;
  /** The classes labels now index: the model's, else the training data's (string labels or `classNames`). */
  classNames?: string[];
}

/** A Dataset from `x, y`, classes named by `classNames` when given (string labels otherwise name their own). */
export function toDataset(x: NumericInput, y: LabelInput, classNames?: string[]): Dataset {
  return Dataset.from(x, y, { classNames });
}

/**
 * Stage one of fit: the user's data as Datasets, validated (shapes, labels, values), the validation data taken
 * from `validationData` or split off, and every sample shape checked against what the model takes.
 */
export async function resolveFitData(
  call: FitCall,
  stage: FeatureStage,
  modelClassNames: string[] | undefined,
  scope: Scope,
): Promise<FitData> {
  const { opts, options } = call;
  const given = options.classNames;
  const raw =
    call.data instanceof Dataset ? call.data : scope.own(toDataset(call.data, call.labels as LabelInput, given));
  await raw.validate();
  const names = raw.classNames ?? given;
  // the model's classes; a first fit's `classNames` name them all, even those its data lacks
  const target = modelClassNames ?? given ?? names;
  const data = own(scope, raw, await mapClasses(raw, target, names, 'training'));
  const info = await data.labels();
  if (!info) throw new GraftError('INVALID_LABEL', 'the dataset has no labels; fit needs labels');
  let train = data;
  let val: Dataset | null = null;
  if (opts.validationData instanceof Dataset) val = opts.validationData;
  else if (opts.validationData) val = scope.own(toDataset(opts.validationData[0], opts.validationData[1], given));
  if (val) {
    await val.validate();
    val = own(scope, val, await mapClasses(val, target, val.classNames ?? given, 'validation'));
    await val.validate();
  } else if (opts.validationSplit) {
    const [a, b] = await data.split(opts.validationSplit, { seed: opts.seed });
    train = scope.own(a);
    val = scope.own(b);
  }
  // feature rows from a stream were checked as images when the stage made them
  if (!stage.isFeatures?.(train.x)) checkSample(stage, train.sampleShape, 'x');
  if (val && !stage.isFeatures?.(val.x)) checkSample(stage, val.sampleShape, 'validation x');
  return { train, val, info, classNames: target };
}

/** `mapped` joins the scope when mapping made a new Dataset. */
export function own(scope: Scope, original: Dataset, mapped: Dataset): Dataset {
  return mapped === original ? mapped : scope.own(mapped);
}
