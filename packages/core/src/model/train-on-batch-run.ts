import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mapClasses } from '../data/class-mapping';
import { Dataset } from '../data/dataset';
import type { LabelInput } from '../data/labels';
import type { NumericInput } from '../data/tensorize';
import { GraftError } from '../errors/graft-error';
import { checkSample } from './feature-stage';
import { own, toDataset } from './fit-data';
import type { Scope } from './fit-scope';
import type { ModelHost } from './model-host';
import { resolveObjective } from './objective';
import { stepObjective, type TrainOnBatchOptions, type TrainOnBatchResult, trainStep } from './train-on-batch';

/**
 * Model.trainOnBatch's body, loaded with the first call: the batch checked and mapped to the model's classes,
 * one optimizer step. The caller checked the options, holds the backend and frees `scope`.
 */
export async function stepOnBatch(
  host: ModelHost,
  x: Dataset | NumericInput,
  y: LabelInput | TrainOnBatchOptions | undefined,
  opts: TrainOnBatchOptions,
  scope: Scope,
): Promise<TrainOnBatchResult> {
  const raw = x instanceof Dataset ? x : scope.own(toDataset(x as NumericInput, y as LabelInput));
  await raw.validate();
  const data = own(scope, raw, await mapClasses(raw, host.classNames, raw.classNames, 'trainOnBatch'));
  const info = await data.labels();
  if (!info) throw new GraftError('INVALID_LABEL', 'trainOnBatch needs labels');
  checkSample(host.stage, data.sampleShape, 'x');
  const objective = stepObjective(() => resolveObjective(host.objective, host.net, info), opts);
  const optimizer = (vars: LayersModel['trainableWeights']) => host.optimizer.get(undefined, vars);
  const result = await trainStep({ stage: host.stage, data, optimizer, ...objective }, opts);
  host.classNames ??= data.classNames;
  return result;
}
