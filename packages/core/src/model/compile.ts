import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LabelInfo } from '../data/labels';
import { describe, GraftError } from '../errors/graft-error';
import { LOSS_NAMES, type LossName, METRIC_NAMES, type MetricName } from './losses';
import { checkLearningRate, OPTIMIZER_NAMES, type OptimizerName } from './optimizers';

export interface CompileOptions {
  /** Name or a tf.Optimizer. Default 'adam'. */
  optimizer?: OptimizerName | tf.Optimizer;
  learningRate?: number;
  /** Default: follows from the last layer's activation and the labels. */
  loss?: LossName;
  /**
   * The output is logits, not probabilities (Keras `from_logits`), for the cross-entropy losses. Default: true
   * for a linear last layer with a cross-entropy loss (Keras' `Dense(n)` + `from_logits=True`), false for a
   * softmax/sigmoid one. Where Keras would silently clip logits as probabilities, graft infers logits; a
   * contradiction (`true` on a softmax, `false` on a linear layer) is INCOMPATIBLE_LOSS. `predict` applies the
   * sigmoid/softmax to logits, so probabilities and thresholds stay right.
   */
  fromLogits?: boolean;
  /** Default: ['accuracy'] for classifiers, [] otherwise. */
  metrics?: MetricName[];
}

export function validateCompile(options: CompileOptions): void {
  const { optimizer, loss, metrics, learningRate, fromLogits } = options;
  if (fromLogits !== undefined && typeof fromLogits !== 'boolean')
    throw new GraftError('INVALID_OPTION', `expected fromLogits as true or false, got ${describe(fromLogits)}`);
  if (typeof optimizer === 'string' && !OPTIMIZER_NAMES.includes(optimizer)) {
    throw new GraftError(
      'UNKNOWN_OPTIMIZER',
      `expected an optimizer in [${OPTIMIZER_NAMES.join(', ')}] or a tf.Optimizer, got ${describe(optimizer)}`,
    );
  }
  if (
    optimizer !== undefined &&
    typeof optimizer !== 'string' &&
    typeof (optimizer as tf.Optimizer).applyGradients !== 'function'
  ) {
    throw new GraftError(
      'UNKNOWN_OPTIMIZER',
      `expected an optimizer name or a tf.Optimizer, got ${describe(optimizer)}`,
    );
  }
  if (loss !== undefined && !LOSS_NAMES.includes(loss)) {
    throw new GraftError('UNKNOWN_LOSS', `expected a loss in [${LOSS_NAMES.join(', ')}], got ${describe(loss)}`);
  }
  if (metrics !== undefined && (!Array.isArray(metrics) || metrics.some((m) => !METRIC_NAMES.includes(m)))) {
    throw new GraftError(
      'INVALID_OPTION',
      `expected metrics among [${METRIC_NAMES.join(', ')}], got ${JSON.stringify(metrics)}`,
    );
  }
  checkLearningRate(learningRate);
}

/** The activation of the network's output ('softmax', 'sigmoid', 'linear', ...). */
export function outputActivation(net: LayersModel): string {
  let layer = net.layers[net.layers.length - 1] as unknown as {
    getClassName(): string;
    getConfig(): Record<string, unknown>;
    layers?: unknown[];
  };
  while (layer.layers?.length) layer = layer.layers[layer.layers.length - 1] as typeof layer;
  const cls = layer.getClassName();
  if (cls === 'Softmax') return 'softmax';
  const act = layer.getConfig().activation;
  return typeof act === 'string' ? act : 'linear';
}

export function outputUnits(net: LayersModel): number {
  const shape = net.outputs[0].shape;
  return shape.length === 2 ? (shape[1] as number) : (shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
}

/**
 * Picks the loss a Keras user would: softmax + indices -> sparse CE; softmax + one-hot -> CE;
 * sigmoid -> binary CE; anything else -> MSE. Checks the labels fit the output.
 */
export function resolveLoss(activation: string, units: number, labels: LabelInfo, explicit?: LossName): LossName {
  const loss = explicit ?? defaultLoss(activation, labels);
  const rows = labels.rank === 1 ? 'one value per sample' : `rows of width ${labels.width}`;
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
      if (labels.rank !== 1 || !labels.integral) {
        throw new GraftError(
          'INCOMPATIBLE_LOSS',
          `sparse categorical cross-entropy expects integer class indices, got ${labels.integral ? rows : 'non-integer values'}`,
        );
      }
      if (labels.min < 0 || labels.max >= units) {
        throw new GraftError(
          'LABEL_OUT_OF_RANGE',
          `expected class indices in 0..${units - 1} for a ${units}-unit output, got values from ${labels.min} to ${labels.max}`,
        );
      }
      return loss;
    case 'categoricalCrossentropy':
      if (labels.rank !== 2 || labels.width !== units) {
        throw new GraftError(
          'INCOMPATIBLE_LOSS',
          `categorical cross-entropy expects one-hot rows of width ${units}, got ${rows}`,
        );
      }
      return loss;
    case 'binaryCrossentropy':
      if (!labels.binary)
        throw new GraftError(
          'INVALID_LABEL',
          `binary cross-entropy expects labels of 0 or 1, got values from ${labels.min} to ${labels.max}`,
        );
      if (labels.width !== units) {
        throw new GraftError(
          'SHAPE_MISMATCH',
          `expected ${units} label value(s) per sample for a ${units}-unit sigmoid output, got ${rows}`,
        );
      }
      return loss;
    default:
      if (labels.width !== units) {
        throw new GraftError(
          'SHAPE_MISMATCH',
          `expected ${units} target value(s) per sample for a ${units}-unit output, got ${rows}`,
        );
      }
      return loss;
  }
}

function defaultLoss(activation: string, labels: LabelInfo): LossName {
  if (activation === 'softmax')
    return labels.rank === 2 && labels.oneHot ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy';
  if (activation === 'sigmoid') return 'binaryCrossentropy';
  return 'meanSquaredError';
}

export function defaultMetrics(loss: LossName): MetricName[] {
  return loss.endsWith('Crossentropy') ? ['accuracy'] : [];
}
