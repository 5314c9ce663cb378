import type { FeatureStoreStats } from '../transfer/store/feature-store';
/** Per-epoch values, named as in `history` (loss, accuracy, valLoss, valAccuracy, ...). */
export type Logs = Record<string, number>;

export interface ProgressEvent {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** 0..1 over the whole fit (over the feature pass while `phase` is 'features'). */
  fraction: number;
  /** Seconds left at the current pace. */
  etaSeconds: number;
  samplesPerSecond: number;
  /** True when the head trains on cached base features. */
  featureCache: boolean;
  /** 'fit' for training batches; 'features' while the feature cache is being computed. */
  phase: 'features' | 'fit';
  /**
   * Phase 'features' of a streamed fit: images whose features an aborted earlier pass had computed, so this
   * pass resumed after them (0: it started at the first image).
   */
  resumedFrom?: number;
  /** Phase 'features' of a streamed fit: what the feature store holds, in memory and spilled (docs/scale.md). */
  featureStore?: FeatureStoreStats;
  /** Phase 'fit': the learning rate of the step just taken (schedules change it; after unfreeze it is 1e-5). */
  learningRate?: number;
}

/** What a batch reports: its size, and its loss when some callback reads per-batch losses. */
export interface BatchLogs {
  size: number;
  loss: number;
}

export type StopReason = 'completed' | 'earlyStopping' | 'stopTraining' | 'aborted';

export interface TrainEndLogs {
  stoppedBy: StopReason;
  epochs: number;
}

/** What every callback learns before training starts (Keras `set_params`). */
export interface TrainParams {
  epochs: number;
  /** Epoch the fit starts at (a resumed fit continues after the checkpoint's). */
  initialEpoch: number;
  /** Batches per epoch. */
  batches: number;
  /** Training samples per epoch. */
  samples: number;
  /** Names every epoch's logs carry: loss and metrics, then their `val` forms when there is validation data. */
  metrics: string[];
  featureCache: boolean;
}

/**
 * The callback methods, all optional; a plain object with some of them is a callback (as are `fit`'s own options).
 * They run in the order of the fit's callback list (docs/architecture.md) and are awaited one by one.
 * Stop training from any of them with `model.stopTraining = true` (Keras `self.model.stop_training = True`).
 */
export interface Callbacks {
  onTrainBegin?(): void | Promise<void>;
  onTrainEnd?(logs: TrainEndLogs): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** `batchLosses`: the epoch's loss per batch, read with the logs (no extra sync). */
  onEpochEnd?(epoch: number, logs: Logs, batchLosses?: Float32Array): void | Promise<void>;
  /** Giving this makes every batch read its loss back (one sync per batch). */
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onProgress?(event: ProgressEvent): void;
}

export interface EarlyStoppingOptions {
  /**
   * Default 'valLoss' (Keras' `val_loss`). Without validation data it must be given (`'loss'`): Keras warns and
   * never stops there, graft refuses (INVALID_OPTION) rather than silently watch the training loss.
   */
  monitor?: string;
  /** Epochs without improvement before stopping (Keras default 0). */
  patience?: number;
  minDelta?: number;
  /** 'auto' minimises losses and errors, maximises accuracy. */
  mode?: 'auto' | 'min' | 'max';
  restoreBestWeights?: boolean;
}
