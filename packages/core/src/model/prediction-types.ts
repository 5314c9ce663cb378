import type {
  BinaryPrediction,
  ClassPrediction,
  MultiLabelPrediction,
  Prediction,
  RegressionPrediction,
  Task,
} from './predictions';

/** The prediction a head of task `T` gives: a literal task names one shape, the `Task` union gives any. */
export type PredictionFor<T extends Task> = T extends 'classification'
  ? ClassPrediction
  : T extends 'binary'
    ? BinaryPrediction
    : T extends 'multiLabel'
      ? MultiLabelPrediction
      : T extends 'regression' | 'embedding'
        ? RegressionPrediction
        : Prediction;
