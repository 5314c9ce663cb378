import type * as tfl from '@tensorflow/tfjs-layers';
import type { LinkKind } from '../solvers/linear-head-objective';
import type { EarlyStoppingOptions } from '../training/callbacks';
import type { Progress } from '../training/progress';
import type { FeatureStage } from './feature-stage';
import type { FitData } from './fit-data';
import { type FitInputs, stageInputs } from './fit-inputs';
import type { FitCall, NormalisedFitOptions } from './fit-options';
import type { Scope } from './fit-scope';
import type { LossName } from './losses';
import type { ResolvedObjective } from './objective';

/** How a fit trained, as `lastFit` reports it. */
export interface FitChoice {
  /** 'lbfgs': the linear head was solved on cached features; 'gradient': gradient steps, epoch by epoch. */
  solver: 'lbfgs' | 'gradient';
  /** Why the fit trained this way. */
  reason: string;
  /** The L2 weight decay on the kernel chosen by cross-validation ('lbfgs' only). */
  weightDecay?: number;
  /** L-BFGS iterations of the final solve ('lbfgs' only). */
  iterations?: number;
}

/** Epoch cap and patience of the default head training when the head cannot be solved (no `epochs` given). */
export const DEFAULT_HEAD_EPOCHS = 200;
export const DEFAULT_HEAD_PATIENCE = 10;
/** Share of the training data held out to stop on when the fit has no validation data of its own. */
export const DEFAULT_HOLDOUT = 0.2;

/** What one fit runs: its options, data and inputs as planned, and the solver with its reason. */
export interface FitPlan {
  opts: NormalisedFitOptions;
  data: FitData;
  inputs: FitInputs;
  choice: FitChoice;
  /** The head's one Dense layer and its link, when the head is solved. */
  solve?: { layer: tfl.layers.Layer; link: LinkKind; loss: LossName };
}

const LINKS: Record<string, { link: LinkKind; losses: LossName[] }> = {
  softmax: { link: 'softmax', losses: ['sparseCategoricalCrossentropy', 'categoricalCrossentropy'] },
  sigmoid: { link: 'sigmoid', losses: ['binaryCrossentropy'] },
};

/** The link a logits output (Keras `from_logits`) is trained through, by its loss. */
function logitsLink(loss: LossName): string {
  return loss === 'binaryCrossentropy' ? 'sigmoid' : 'softmax';
}

/** The head's only Dense layer and its link when the head is linear with a loss it can be solved for. */
function linearHead(net: tfl.LayersModel, objective: ResolvedObjective): FitPlan['solve'] | string {
  const loss = objective.lossName;
  if (loss === null) return 'the head has a custom loss';
  const other = net.layers.filter((l) => !['InputLayer', 'Flatten', 'Dropout'].includes(l.getClassName()));
  if (other.length !== 1 || other[0].getClassName() !== 'Dense' || other[0] !== net.layers.at(-1))
    return 'the head is not one Dense layer (hidden layers or extra layers)';
  const layer = other[0];
  const config = layer.getConfig() as { activation?: string; useBias?: boolean };
  const activation = objective.fromLogits ? logitsLink(loss) : (config.activation ?? '');
  const link = LINKS[activation];
  if (!link?.losses.includes(loss) || config.useBias === false || net.trainableWeights.length !== 2)
    return `a ${config.activation} head trained with ${loss} has no solver`;
  return { layer, link: link.link, loss };
}

/**
 * Decides how a fit trains. Explicit `epochs`, `learningRate` or `resume` train as asked (Keras). Otherwise a
 * head on cached features of a frozen base is trained to convergence: a linear head is solved (L-BFGS), any
 * other head trains with early stopping on held-out data (a seeded part of the training data when the fit has
 * no validation data) up to a cap, keeping its best weights. Models that train whole run one epoch, as Keras.
 */
export async function planFit(
  call: FitCall,
  parts: { stage: FeatureStage; data: FitData; inputs: FitInputs; objective: ResolvedObjective },
  progress: Progress,
  scope: Scope,
): Promise<FitPlan> {
  const { opts, options } = call;
  const { data, inputs } = parts;
  const gradient = (reason: string): FitPlan => ({ opts, data, inputs, choice: { solver: 'gradient', reason } });
  if (options.epochs !== undefined || options.learningRate !== undefined || opts.resume !== undefined)
    return gradient('epochs, learningRate or resume given: trains as asked');
  if (!inputs.train.featureCache) return gradient('the network trains whole (no cached features): one epoch, as Keras');
  // the solver weighs every sample alike: a weighted loss trains by gradient (with early stopping, below)
  const head = opts.earlyStopping
    ? 'earlyStopping given'
    : options.classWeight !== undefined
      ? 'classWeight given (the solver weighs samples alike)'
      : linearHead(inputs.train.net, parts.objective);
  if (typeof head === 'object')
    return { opts, data, inputs, choice: { solver: 'lbfgs', reason: 'a linear head on cached features' }, solve: head };
  const earlyStopping: EarlyStoppingOptions = opts.earlyStopping ?? {
    monitor: 'valLoss',
    patience: DEFAULT_HEAD_PATIENCE,
    restoreBestWeights: true,
  };
  const planned = { ...opts, epochs: DEFAULT_HEAD_EPOCHS, earlyStopping };
  const reason = `${head}: trains until held-out loss stops improving (at most ${DEFAULT_HEAD_EPOCHS} epochs)`;
  if (data.val) return { opts: planned, data, inputs, choice: { solver: 'gradient', reason } };
  // hold out part of the training data; its features come from the cache the first staging filled
  const [keptRows, heldRows] = await data.train.splitIndices(DEFAULT_HOLDOUT, { seed: opts.seed });
  if (keptRows.length === 0 || heldRows.length === 0) {
    // too few samples to hold any out: stop when the training loss stops improving
    const onLoss = { ...planned, earlyStopping: { ...earlyStopping, monitor: opts.earlyStopping?.monitor ?? 'loss' } };
    const why = `${head}: too few samples to hold out, trains until the training loss stops improving`;
    return { opts: onLoss, data, inputs, choice: { solver: 'gradient', reason: why } };
  }
  const train = scope.own(data.train.take(keptRows));
  const val = scope.own(data.train.take(heldRows));
  const held = { ...data, train, val };
  const restaged = await stageInputs(parts.stage, held, planned, progress, scope);
  return { opts: planned, data: held, inputs: restaged, choice: { solver: 'gradient', reason } };
}
