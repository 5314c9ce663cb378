/** Per-epoch values, named as in `history` (loss, accuracy, valLoss, valAccuracy, ...). */
export type Logs = Record<string, number>;

export interface ProgressEvent {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** 0..1 over the whole fit. */
  fraction: number;
  /** Seconds left at the current pace. */
  etaSeconds: number;
  samplesPerSecond: number;
  /** True when the head trains on cached base features. */
  featureCache: boolean;
  /** 'fit' for training batches; 'features' while the feature cache is being computed. */
  phase: 'features' | 'fit';
}

export interface Callbacks {
  onTrainBegin?(): void | Promise<void>;
  onTrainEnd?(logs: { stoppedBy: StopReason; epochs: number }): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Giving this makes every batch read its loss back (one sync per batch). */
  onBatchEnd?(batch: number, logs: { loss: number; size: number }): void | Promise<void>;
  onProgress?(event: ProgressEvent): void;
}

export type StopReason = 'completed' | 'earlyStopping' | 'aborted';

export interface EarlyStoppingOptions {
  /** Default 'valLoss' when there is validation data, else 'loss'. */
  monitor?: string;
  /** Epochs without improvement before stopping (Keras default 0). */
  patience?: number;
  minDelta?: number;
  /** 'auto' minimises losses and errors, maximises accuracy. */
  mode?: 'auto' | 'min' | 'max';
  restoreBestWeights?: boolean;
}
