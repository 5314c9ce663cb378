export { captureArtifacts, fromArtifacts } from './artifacts';
export type {
  LayerSpec,
  MessageScope,
  ModelArtifacts,
  ModelSpec,
  SequentialLayerName,
  TrainingData,
  WorkerFitOptions,
  WorkerLike,
} from './protocol';
export { SEQUENTIAL_LAYERS } from './protocol';
export { serveTraining } from './serve-training';
export type { WorkerTimeouts, WorkerTrainOptions, WorkerTrainResult } from './worker-trainer';
export { trainInWorker, WorkerTrainer } from './worker-trainer';
