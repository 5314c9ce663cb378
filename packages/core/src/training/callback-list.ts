import { Callback } from './callback';
import type { BatchLogs, Callbacks, Logs, TrainEndLogs, TrainParams } from './callbacks';
import type { FitControl } from './fit-control';

/**
 * The callbacks of one fit, called in list order and awaited one by one (tfjs-layers' `CallbackList`).
 * The loop talks to this list and to nothing else.
 */
export class CallbackList {
  private readonly list: Callbacks[];

  constructor(callbacks: Callbacks[]) {
    this.list = [...callbacks];
  }

  /** Whether some `onBatchEnd` reads the batch loss (each read is a sync with the device). */
  get readsBatchLoss(): boolean {
    return this.list.some((c) => {
      if (!(c instanceof Callback)) return typeof c.onBatchEnd === 'function';
      return c.readsBatchLoss && c.onBatchEnd !== Callback.prototype.onBatchEnd;
    });
  }

  /** Hands every callback object the fit's parameters and control; plain objects have no slot for them. */
  configure(params: TrainParams, control: FitControl): void {
    for (const c of this.list) {
      if (c instanceof Callback) {
        c.setParams(params);
        c.setModel(control);
      }
    }
  }

  async onTrainBegin(): Promise<void> {
    for (const c of this.list) await c.onTrainBegin?.();
  }

  async onEpochBegin(epoch: number): Promise<void> {
    for (const c of this.list) await c.onEpochBegin?.(epoch);
  }

  async onBatchEnd(batch: number, logs: BatchLogs): Promise<void> {
    for (const c of this.list) await c.onBatchEnd?.(batch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs, batchLosses: Float32Array): Promise<void> {
    for (const c of this.list) await c.onEpochEnd?.(epoch, logs, batchLosses);
  }

  async onTrainEnd(logs: TrainEndLogs): Promise<void> {
    for (const c of this.list) await c.onTrainEnd?.(logs);
  }

  release(): void {
    for (const c of this.list) if (c instanceof Callback) c.release();
  }
}
