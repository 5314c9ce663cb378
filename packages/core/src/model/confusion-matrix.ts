import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { evaluateSums } from '../training/evaluate';
import { type ConfusionMatrix, confusionCounts, confusionReport } from '../training/metrics/confusion';
import { outputUnits } from './compile';
import type { ResolvedObjective } from './objective';

export type { ClassReport, ConfusionMatrix } from '../training/metrics/confusion';

/** What an evaluation over labelled data runs on: checked, staged, owned by the caller's scope. */
export interface LabelledRun {
  net: LayersModel;
  objective: ResolvedObjective;
  inputs: tf.Tensor;
  y: tf.Tensor;
  batchSize: number;
  classNames?: string[];
}

/** `model.confusionMatrix(data)`: the counts summed over batches, named by the model's classes (else indices). */
export async function confusionOf(run: LabelledRun, modelClassNames?: string[]): Promise<ConfusionMatrix> {
  const { lossName, lossFn, fromLogits } = run.objective;
  const metric = confusionCounts(lossName, fromLogits, outputUnits(run.net));
  const values = await evaluateSums(run.net, lossFn, [metric], run.inputs, run.y, run.batchSize);
  const names = modelClassNames ?? run.classNames ?? Array.from({ length: metric.k }, (_, i) => String(i));
  return confusionReport(values.sums[1], names.length === metric.k ? names : names.slice(0, metric.k));
}
