import type { BackendChoice } from '../backends/registry';
import { checkCheckpointTarget } from '../io/checkpoint-file';
import { FitControl } from '../training/fit-control';
import { History as HistoryCallback } from '../training/history';
import { restoringRate } from '../training/learning-rate';
import { classWeightedLoss } from './class-weight';
import { outputUnits } from './compile';
import { fitCallbacks, progressFor } from './fit-callbacks';
import { type FitData, resolveFitData } from './fit-data';
import { stageInputs, trainSpec } from './fit-inputs';
import type { ParsedFitCall } from './fit-options';
import { planFit } from './fit-plan';
import type { Scope } from './fit-scope';
import { runPlan } from './head-solve';
import type { ModelHost } from './model-host';
import type { FitSummary } from './model-types';
import { type ResolvedObjective, resolveFitObjective, settledObjective } from './objective';
import { resumeFrom } from './resume';
import { streamedCall } from './stream-call';

/** A fit that ran to its end: the history callback that recorded it and its summary (the model adopts both). */
export interface FitRun {
  history: HistoryCallback;
  summary: FitSummary;
}

/**
 * Model.fit's body, loaded with the first fit: the data, the feature stage, the loop, the callbacks, the history
 * (docs/architecture.md). The caller parsed the arguments, holds `backend` for the fit and frees `scope`.
 */
export async function runFit(
  host: ModelHost,
  parsed: ParsedFitCall,
  backend: BackendChoice,
  scope: Scope,
): Promise<FitRun> {
  if (parsed.opts.checkpoint) await checkCheckpointTarget(parsed.opts.checkpoint.to);
  if (!host.isBuilt && parsed.opts.seed !== undefined) host.seedOnce(parsed.opts.seed);
  const progress = progressFor(parsed.options);
  const call = await streamedCall(parsed, host.stage, progress, scope);
  const data = await resolveFitData(call, host.stage, host.classNames, scope);
  const objective = await resolveFitObjective(host.objective, host.net, data);
  const trainLoss = await classWeightedLoss(call.options.classWeight, objective, outputUnits(host.net), data);
  const start = call.opts.resume
    ? await resumeFrom(call.opts.resume, host.net, host.optimizer, call.opts.learningRate)
    : { epoch: 0, history: host.history };
  const staged = await stageInputs(host.stage, data, call.opts, progress, scope);
  const plan = await planFit(call, { stage: host.stage, data, inputs: staged, objective }, progress, scope);
  const { opts, inputs } = plan;
  const optimizer = host.optimizer.get(opts.learningRate, inputs.train.net.trainableWeights);
  const history = new HistoryCallback(start.history);
  const hasValidation = plan.data.val !== null;
  const parts = { progress, history, trainNet: inputs.train.net, net: host.net, optimizer, hasValidation };
  const callbacks = fitCallbacks(call.options, opts, parts);
  const control = new FitControl(optimizer);
  host.setControl(control);
  const spec = { ...trainSpec(inputs, plan.data, objective, optimizer), trainLoss };
  const unsettle = settle(host, objective, data);
  const loopOptions = { ...opts, initialEpoch: start.epoch };
  const { value: result, ...rates } = await restoringRate(optimizer, () =>
    runPlan(plan, spec, loopOptions, callbacks, control),
  ).catch((e) => unsettle(e));
  const summary = { ...result, ...rates, featureCache: inputs.train.featureCache, backend: backend.name };
  return { history, summary: { ...summary, history: history.history } };
}

/**
 * What a fit settles (loss, metrics, task, class names) is the model's from the fit's start, so a save() from
 * a callback writes it; a fit that throws puts the old values back (the returned function, which rethrows).
 */
function settle(host: ModelHost, objective: ResolvedObjective, data: FitData): (e: unknown) => never {
  const before = { objective: { ...host.objective }, classNames: host.classNames };
  Object.assign(host.objective, settledObjective(host.objective, objective, host.net));
  host.classNames ??= data.classNames;
  return (e) => {
    for (const k of Object.keys(host.objective)) delete host.objective[k as keyof typeof host.objective];
    Object.assign(host.objective, before.objective);
    host.classNames = before.classNames;
    throw e;
  };
}
