import type { StopReason } from '../training/callbacks';
import type { HistoryRecord } from '../training/history';
import type { FitChoice } from './fit-plan';

export interface EvaluateOptions {
  batchSize?: number;
}

export interface PredictOptions {
  batchSize?: number;
  /** Run this prediction on a registered inference runtime (by its backend name) instead of tfjs. */
  backend?: string;
  /**
   * Says whether a tensor or nested array is a batch (`true`) or one sample (`false`), and types the result to
   * match; checked against the model's sample rank. Default: told by the rank.
   */
  batch?: boolean;
}

export type History = HistoryRecord;

/**
 * `evaluate`'s result: the loss and each metric, by the names history uses. A model compiled with `metrics`
 * names them in the type (`{ loss, accuracy }`); otherwise the metrics follow from the loss at fit time.
 */
export type EvaluateResult<M extends string = string> = { loss: number } & Record<M, number>;

/** How the last fit ended; `solver`, `reason`, `weightDecay` and `iterations` say how it trained (fit-plan.ts). */
export interface FitSummary extends FitChoice {
  stoppedBy: StopReason;
  epochs: number;
  featureCache: boolean;
  backend: string;
  /**
   * The learning rate the fit started with (fit's option, else compile's, else the default in effect); a solved
   * head (`solver` 'lbfgs') uses none, and this is then the rate a gradient fit would have used.
   */
  learningRate: number;
  /** The rate at the fit's end: differs where a schedule (oneCycle, reduceLROnPlateau) changed it. */
  finalLearningRate: number;
  /** This fit's own values per epoch (`model.history` holds every fit's, appended). */
  history: History;
}
