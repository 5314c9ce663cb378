import * as tf from '@tensorflow/tfjs-core';
import type { TrainSpec } from '../training/loop';
import type { Progress } from '../training/progress';
import type { FeatureStage, StageInputs } from './feature-stage';
import type { FitData } from './fit-data';
import type { NormalisedFitOptions } from './fit-options';
import type { Scope } from './fit-scope';
import type { ResolvedObjective } from './objective';

export interface FitInputs {
  train: StageInputs;
  val: StageInputs | null;
  /** The training labels repeated once per view, where the stage made augmented views. */
  trainY?: tf.Tensor;
}

/**
 * Stage three of fit: the feature stage turns the data into what the network trains on. Validation follows
 * training (cached features for both, or neither); the feature pass reports progress for the training data.
 */
export async function stageInputs(
  stage: FeatureStage,
  data: FitData,
  opts: NormalisedFitOptions,
  progress: Progress,
  scope: Scope,
): Promise<FitInputs> {
  const featurePass = (total: number, batches: number) => progress.featurePass(total, batches);
  const request = { cache: opts.featureCache, featurePass, augment: true, seed: opts.seed };
  const train = await stage.training(data.train.x, request);
  if (train.owned) scope.own(train.x);
  const val = data.val ? await stage.training(data.val.x, { cache: train.featureCache }) : null;
  if (val?.owned) scope.own(val.x);
  const views = train.views ?? 1;
  const y = data.train.y as tf.Tensor;
  if (views === 1) return { train, val };
  const trainY = scope.own(tf.tile(y, [views, ...y.shape.slice(1).map(() => 1)]));
  return { train, val, trainY };
}

/** What the loop trains: the stage's network and inputs, the labels, the objective and the optimizer. */
export function trainSpec(
  inputs: FitInputs,
  data: FitData,
  objective: ResolvedObjective,
  optimizer: tf.Optimizer,
): TrainSpec {
  const { train, val } = inputs;
  return {
    net: train.net,
    loss: objective.lossFn,
    metrics: objective.metrics,
    optimizer,
    x: train.x,
    y: inputs.trainY ?? (data.train.y as tf.Tensor),
    val: val && data.val ? { x: val.x, y: data.val.y as tf.Tensor } : null,
    featureCache: train.featureCache,
    views: train.views,
    transform: train.transform,
  };
}
