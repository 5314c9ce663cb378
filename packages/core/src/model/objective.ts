import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LabelInfo } from '../data/labels';
import type { NamedMetric } from '../training/evaluate';
import { defaultMetrics, outputActivation, outputUnits, resolveLoss } from './compile';
import type { FitData } from './fit-data';
import { LOSSES, type LossFn, type LossName, type MetricName, metricFn } from './losses';
import type { Task } from './predictions';

/** What the model is trained for: its task, loss and metrics as compiled or set by its head. */
export interface Objective {
  task?: Task;
  loss?: LossName;
  metrics?: MetricName[];
  /** A loss outside the named ones (e.g. the embedding head's triplet loss). */
  customLoss?: { name: string; fn: LossFn };
}

export interface ResolvedObjective {
  /** The named loss in effect (null for a custom loss). */
  lossName: LossName | null;
  lossFn: LossFn;
  metricNames: MetricName[];
  metrics: NamedMetric[];
}

/** The loss and metrics for these labels: the custom loss, the compiled one, or the Keras default. */
export function resolveObjective(o: Objective, net: LayersModel, info: LabelInfo): ResolvedObjective {
  if (o.customLoss) {
    const metricNames = o.metrics ?? [];
    const metrics = metricNames.map((m) => ({ name: m, fn: metricFn(m, 'meanSquaredError') }));
    return { lossName: null, lossFn: o.customLoss.fn, metricNames, metrics };
  }
  const lossName = resolveLoss(outputActivation(net), outputUnits(net), info, o.loss);
  const metricNames = o.metrics ?? defaultMetrics(lossName);
  const metrics = metricNames.map((m) => ({ name: m, fn: metricFn(m, lossName) }));
  return { lossName, lossFn: LOSSES[lossName], metricNames, metrics };
}

/** Stage two of fit: the objective for the training labels, with the validation labels checked against it. */
export async function resolveFitObjective(o: Objective, net: LayersModel, data: FitData): Promise<ResolvedObjective> {
  const resolved = resolveObjective(o, net, data.info);
  if (data.val && resolved.lossName) {
    resolveLoss(outputActivation(net), outputUnits(net), (await data.val.labels()) as LabelInfo, resolved.lossName);
  }
  return resolved;
}
