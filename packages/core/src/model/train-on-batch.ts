import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/dataset';
import { createRng } from '../data/rng';
import { describe, GraftError, isGraftError } from '../errors/graft-error';
import { Accumulator } from '../training/accumulator';
import { metricValues, type NamedMetric } from '../training/evaluate';
import { dropoutLayers } from '../training/random-layers';
import type { FeatureStage } from './feature-stage';
import type { LossFn } from './losses';
import type { StepLoss, TrainOnBatchOptions, TrainOnBatchResult } from './train-on-batch-options';

export type { StepLoss, TrainOnBatchOptions, TrainOnBatchResult } from './train-on-batch-options';

/** What one step needs of the model: its training stage, optimizer and objective. */
export interface StepParts {
  stage: FeatureStage;
  data: Dataset;
  optimizer: (trainable: LayersModel['trainableWeights']) => tf.Optimizer;
  loss: LossFn;
  metrics: NamedMetric[];
}

/**
 * The model's loss and metrics for this batch's labels. With a loss of your own, labels the model's loss would
 * refuse (e.g. a regression target for a classifier) are yours to read: the step then reports the loss alone.
 */
export function stepObjective(
  resolve: () => { lossFn: LossFn; metrics: NamedMetric[] },
  options: TrainOnBatchOptions,
): { loss: LossFn; metrics: NamedMetric[] } {
  try {
    const o = resolve();
    return { loss: o.lossFn, metrics: o.metrics };
  } catch (e) {
    if (!options.loss || !isGraftError(e)) throw e;
    return { loss: options.loss, metrics: [] };
  }
}

/**
 * A user loss as a scalar loss function. It runs on tfjs' gradient tape, where a throw would strand the tensors
 * the tape saved: a failure is kept in `failed` and a zero loss still tied to the output is returned, so the
 * tape ends normally and frees them; the step then throws the failure without applying anything.
 */
function scalarLoss(fn: StepLoss, failed: { error?: unknown }): LossFn {
  return (yTrue, yPred) => {
    let out: unknown;
    try {
      out = fn(yTrue, yPred);
    } catch (e) {
      failed.error = e;
    }
    if (failed.error === undefined && !(out instanceof tf.Tensor))
      failed.error = new GraftError('INVALID_OPTION', `expected the loss to return a tensor, got ${describe(out)}`);
    if (failed.error !== undefined) return tf.mul(tf.sum(yPred), 0);
    const t = out as tf.Tensor;
    return t.rank === 0 ? t : tf.mean(t);
  };
}

/**
 * One gradient step of the model's optimizer on one batch (Keras `train_on_batch`): the stage's training inputs
 * (no feature cache: each batch is new; augmentation applies), a forward pass in training mode, the loss (the
 * model's or `options.loss`) plus the layers' regularisation losses, and the update. The update is applied only
 * when the loss is finite, so a failed step (NON_FINITE_LOSS, a bad loss function) leaves the weights as they were.
 */
export async function trainStep(parts: StepParts, options: TrainOnBatchOptions): Promise<TrainOnBatchResult> {
  const { stage, data } = parts;
  const inputs = await stage.training(data.x, { cache: false, augment: true, seed: options.seed });
  const acc = new Accumulator();
  try {
    const net = inputs.net;
    const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
    if (vars.length === 0)
      throw new GraftError(
        'INVALID_OPTION',
        'the model has no trainable weights: unfreeze some layers or add a head before trainOnBatch',
      );
    const failed: { error?: unknown } = {};
    const loss = options.loss ? scalarLoss(options.loss, failed) : parts.loss;
    const unseed = seedRandomLayers(net, options.seed);
    let step: { value: tf.Scalar; grads: tf.NamedTensorMap };
    try {
      step = forward(net, inputs, data.y as tf.Tensor, loss, vars, parts.metrics, acc);
    } finally {
      unseed();
    }
    await applyIfSound(step, failed, () => parts.optimizer(net.trainableWeights));
    const named = metricValues(parts.metrics, await acc.read());
    return Object.fromEntries([
      ['loss', named[0]],
      ...parts.metrics.map((m, i) => [m.name, named[i + 1]]),
    ]) as TrainOnBatchResult;
  } finally {
    acc.clear();
    if (inputs.owned) inputs.x.dispose();
  }
}

/** Applies the gradients when the loss function did not fail and the loss is finite; frees the gradients. */
async function applyIfSound(
  step: { value: tf.Scalar; grads: tf.NamedTensorMap },
  failed: { error?: unknown },
  optimizer: () => tf.Optimizer,
): Promise<void> {
  try {
    if (failed.error !== undefined) throw failed.error;
    const read = (await step.value.data())[0];
    if (!Number.isFinite(read))
      throw new GraftError(
        'NON_FINITE_LOSS',
        `the loss of this batch is ${read}; the weights were not updated. Lower the learning rate, check the labels and inputs, or check the loss function`,
      );
    optimizer().applyGradients(step.grads);
  } finally {
    // the loss itself is the accumulator's (freed by its clear)
    tf.dispose(Object.values(step.grads));
  }
}

/** The loss, its gradients and the metrics' values on the batch; nothing is applied yet. */
function forward(
  net: LayersModel,
  inputs: { x: tf.Tensor; transform?: (xb: tf.Tensor) => tf.Tensor },
  y: tf.Tensor,
  loss: LossFn,
  vars: tf.Variable[],
  metrics: NamedMetric[],
  acc: Accumulator,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  let pred: tf.Tensor | null = null;
  try {
    return tf.tidy(() => {
      const xb = inputs.transform ? inputs.transform(inputs.x) : inputs.x;
      const { value, grads } = tf.variableGrads(() => {
        const p = net.apply(xb, { training: true }) as tf.Tensor;
        pred = tf.keep(p);
        return net.calculateLosses().reduce<tf.Tensor>((a, b) => tf.add(a, b), loss(y, p)) as tf.Scalar;
      }, vars);
      const p = pred as unknown as tf.Tensor;
      acc.add([value, ...metrics.map((m) => m.fn(y, p))], y.shape[0]);
      p.dispose();
      return { value, grads };
    });
  } catch (e) {
    (pred as tf.Tensor | null)?.dispose();
    // tfjs says this when the loss does not depend on any trainable weight
    if (e instanceof Error && /Cannot find a connection/.test(e.message))
      throw new GraftError(
        'INVALID_OPTION',
        'expected the loss to depend on the predictions (no gradient reaches any trainable weight)',
      );
    throw e;
  }
}

/** Seeds the random layers for one step; the returned function puts their seeds back (a kept seed repeats a mask). */
function seedRandomLayers(net: LayersModel, seed: number | undefined): () => void {
  if (seed === undefined) return () => {};
  const layers = dropoutLayers(net);
  const before = layers.map((d) => d.seed);
  const rng = createRng(seed);
  for (const d of layers) d.seed = rng.seed32();
  return () => {
    layers.forEach((d, i) => {
      d.seed = before[i];
    });
  };
}
