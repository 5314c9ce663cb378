import './backends/cpu';

export type { BackendCapabilities, BackendChoice, BackendEntry, BackendStatus } from './backends/entry';
export { backends } from './backends/registry';
export type { Activation } from './builder/activations';
export { ACTIVATIONS } from './builder/activations';
export type { AugmentSpec } from './builder/augment/pipeline';
export type * from './builder/layer-options';
export type { SequentialOptions } from './builder/sequential';
export { SequentialModel, sequential } from './builder/sequential';
export type { DatasetOptions, SplitOptions } from './data/dataset';
export { Dataset, dataset } from './data/dataset';
export type { ImageDatasetOptions } from './data/image-dataset';
// the image helpers' types; their functions are on lazy-api.ts (their code loads on first call)
export type * from './data/images';
export { DEFAULT_IMAGE_EXTENSIONS } from './data/images/image-extensions';
export type { ImageItem, ImageItems, ImageIterable } from './data/images/image-iterable';
export type { ImageBatch, ImageStream } from './data/images/image-stream';
export { preprocess } from './data/images/preprocess';
export type { LabelInfo, LabelInput } from './data/labels';
export { createRng } from './data/rng';
export type { NumericInput } from './data/tensorize';
export type { TextTableOptions } from './data/text-dataset';
export type { BackendSettings, Env, FileCache, LogLevel } from './env/env';
export { env } from './env/env';
export type { AdapterErrorCodes, GraftErrorCode } from './errors/graft-error';
export { describe, ERROR_CODES, GraftError, isGraftError } from './errors/graft-error';
export type { RgbaOptions } from './explain/colormap';
export type { ExplainOptions } from './explain/explain';
export type { Explanation } from './explain/explanation';
export type { Checkpoint } from './io/checkpoint';
export type { CheckpointOptions } from './io/checkpoint-options';
export type { ExportSource } from './io/exporters';
export type { LoadOptions } from './io/save-load';
export {
  deleteCheckpoint,
  embed,
  explain,
  fromDirectory,
  fromFeatureShards,
  fromImages,
  fromTextFile,
  imagesToTensor,
  loadModel,
  readCheckpoint,
  readImageFile,
  readImageFolder,
  toImageTensor,
  writeFeatureShard,
} from './lazy-api';
export type { ClassWeight } from './model/class-weight-option';
export type { CompileOptions } from './model/compile';
export type { ClassReport, ConfusionMatrix } from './model/confusion-matrix';
export { inferencePlanStatus, setInferenceFolding } from './model/inference-plan/folded-inference';
export type { LossFn, LossName, MetricName } from './model/losses';
export { LOSSES } from './model/losses';
export type {
  EvaluateOptions,
  EvaluateResult,
  Evaluates,
  FitOptions,
  FitSummary,
  History,
  ModelMetadata,
  PredictOptions,
} from './model/model';
export { Model } from './model/model';
export type { OptimizerName } from './model/optimizers';
export type { ImageInput, PredictInput } from './model/predict-input';
export type {
  BinaryPrediction,
  ClassPrediction,
  MultiLabelPrediction,
  Prediction,
  RegressionPrediction,
  Task,
} from './model/predictions';
export type { StepLoss, TrainOnBatchOptions, TrainOnBatchResult } from './model/train-on-batch';
export { Callback } from './training/callback';
export type {
  BatchLogs,
  Callbacks,
  EarlyStoppingOptions,
  Logs,
  ProgressEvent,
  StopReason,
  TrainEndLogs,
  TrainParams,
} from './training/callbacks';
export type { FitControl } from './training/fit-control';
export type { OneCycle, OneCycleOptions } from './training/one-cycle';
export type { ReduceLROnPlateau, ReduceLROnPlateauOptions } from './training/reduce-lr-on-plateau';
export { callbacks } from './training/schedules';
export type { Backbone, ExtractorBackbone, ExtractorGraph, LayersBackbone, Preprocessing } from './transfer/backbone';
export type { EmbedOptions } from './transfer/embed';
export type { GraphExtractorOptions, GraphModelLike } from './transfer/graph-extractor';
export { graphExtractor } from './transfer/graph-extractor';
export type { HeadOptions, HeadSpec, OutputLayerOptions } from './transfer/head-spec';
export type { FeatureShards } from './transfer/shards/feature-shards';
export type { ShardHeader } from './transfer/shards/shard-format';
export type { FeatureShardOptions } from './transfer/shards/write-shard';
export type { FeatureStoreStats } from './transfer/store/feature-store';
export type { FineTuneOptions, Pooling, TransferOptions, UnfreezeOptions } from './transfer/transfer-model';
export { FINE_TUNE_LEARNING_RATE, TransferModel, transfer } from './transfer/transfer-model';
export type { Embeds } from './transfer/with-embed';
