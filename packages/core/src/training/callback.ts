import type { BatchLogs, Callbacks, Logs, TrainEndLogs, TrainParams } from './callbacks';
import type { FitControl } from './fit-control';

/**
 * Base of graft's callback objects, the shape of Keras' and tfjs-layers' `Callback`: no-op event methods, the
 * fit's parameters (`params`) and the running fit's control (`model`, whose `stopTraining` ends training).
 * Subclass it, or pass any plain object with some `Callbacks` methods.
 */
export abstract class Callback implements Callbacks {
  params: TrainParams | null = null;
  model: FitControl | null = null;
  /** Whether `onBatchEnd` needs the batch's loss (a read back per batch); progress only needs sizes. */
  readonly readsBatchLoss: boolean = true;

  setParams(params: TrainParams): void {
    this.params = params;
  }

  setModel(model: FitControl): void {
    this.model = model;
  }

  async onTrainBegin(): Promise<void> {}
  async onEpochBegin(_epoch: number): Promise<void> {}
  async onBatchEnd(_batch: number, _logs: BatchLogs): Promise<void> {}
  async onEpochEnd(_epoch: number, _logs: Logs, _batchLosses?: Float32Array): Promise<void> {}
  async onTrainEnd(_logs: TrainEndLogs): Promise<void> {}

  /** Frees what the callback holds (weight copies); called once the fit ends, whether it succeeded or not. */
  release(): void {}
}
