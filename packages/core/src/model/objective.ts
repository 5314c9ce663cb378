import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LabelInfo } from '../data/labels';
import type { NamedMetric } from '../training/evaluate';
import { countMetric } from '../training/metrics/count-metric';
import { isCountMetric } from '../training/metrics/names';
import { defaultMetrics, outputActivation, outputUnits, resolveLoss } from './compile';
import type { FitData } from './fit-data';
import { LOGITS_LOSSES, resolveFromLogits } from './logits';
import { LOSSES, type LossFn, type LossName, type MetricName, metricFn } from './losses';
import { checkNamedLabels } from './named-labels';
import { type Task, taskFor } from './predictions';

/** What the model is trained for: its task, loss and metrics as compiled or set by its head. */
export interface Objective {
  task?: Task;
  loss?: LossName;
  metrics?: MetricName[];
  /** The output is logits (Keras `from_logits`); undefined: inferred from the last layer (see logits.ts). */
  fromLogits?: boolean;
  /** A loss outside the named ones (e.g. the embedding head's triplet loss). */
  customLoss?: { name: string; fn: LossFn };
}

export interface ResolvedObjective {
  /** The named loss in effect (null for a custom loss). */
  lossName: LossName | null;
  lossFn: LossFn;
  /** Whether the loss reads the output as logits. */
  fromLogits: boolean;
  metricNames: MetricName[];
  metrics: NamedMetric[];
}

/** The loss and metrics for these labels: the custom loss, the compiled one, or the Keras default. */
export function resolveObjective(o: Objective, net: LayersModel, info: LabelInfo): ResolvedObjective {
  if (o.customLoss) {
    const metricNames = o.metrics ?? [];
    const metrics = metricNames.map((m) => namedMetric(m, null, false));
    return { lossName: null, lossFn: o.customLoss.fn, fromLogits: false, metricNames, metrics };
  }
  const activation = outputActivation(net);
  const lossName = resolveLoss(activation, outputUnits(net), info, o.loss);
  const fromLogits = resolveFromLogits(activation, lossName, o.fromLogits);
  const metricNames = o.metrics ?? defaultMetrics(lossName);
  const metrics = metricNames.map((m) => namedMetric(m, lossName, fromLogits));
  const lossFn = fromLogits ? LOGITS_LOSSES[lossName] : LOSSES[lossName];
  return { lossName, lossFn, fromLogits, metricNames, metrics };
}

/** A metric by name: a count metric (summed over the epoch) or a mean one; a custom loss is read as MSE. */
function namedMetric(name: MetricName, loss: LossName | null, fromLogits: boolean): NamedMetric {
  if (isCountMetric(name)) return countMetric(name, loss, fromLogits);
  return { name, fn: metricFn(name, loss ?? 'meanSquaredError', fromLogits) };
}

/** Stage two of fit: the objective for the training labels, with the validation labels checked against it. */
export async function resolveFitObjective(o: Objective, net: LayersModel, data: FitData): Promise<ResolvedObjective> {
  const resolved = resolveObjective(o, net, data.info);
  const units = outputUnits(net);
  const task = o.task ?? taskFor(outputActivation(net), units, resolved.lossName ?? undefined);
  checkNamedLabels(resolved.lossName, task, units, data.classNames);
  if (data.val && resolved.lossName) {
    resolveLoss(outputActivation(net), outputUnits(net), (await data.val.labels()) as LabelInfo, resolved.lossName);
  }
  return resolved;
}

/** What a fit settles for the model from its start (so a save() during the fit writes it): loss, metrics, task. */
export function settledObjective(o: Objective, resolved: ResolvedObjective, net: LayersModel): Objective {
  const out: Objective = { ...o, metrics: resolved.metricNames };
  if (resolved.lossName) Object.assign(out, { loss: resolved.lossName, fromLogits: resolved.fromLogits });
  out.task ??= taskFor(outputActivation(net), outputUnits(net), resolved.lossName ?? undefined);
  return out;
}
