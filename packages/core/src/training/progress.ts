import type { FeaturePassReport } from '../transfer/stream-features';
import { Callback } from './callback';
import type { BatchLogs, ProgressEvent } from './callbacks';

/**
 * Turns batch ends into `ProgressEvent`s (fraction, pace, time left) for the listeners; also reports the feature
 * pass that runs before training, so both phases share one clock. Reads batch sizes only, never losses.
 */
export class Progress extends Callback {
  override readonly readsBatchLoss = false;
  private start = performance.now();
  private samplesDone = 0;
  private epoch = 0;

  constructor(private readonly listeners: ((event: ProgressEvent) => void)[]) {
    super();
  }

  get active(): boolean {
    return this.listeners.length > 0;
  }

  /** A reporter for one feature pass over `total` samples in `batches` batches, timed from now. */
  featurePass(total: number, batches: number): FeaturePassReport {
    const start = performance.now();
    return (batch, done, extra) => {
      // a resumed pass ran only the rows after `resumedFrom` on this clock
      const rate = (done - (extra?.resumedFrom ?? 0)) / ((performance.now() - start) / 1000 || 1e-9);
      this.emit({
        epoch: 0,
        epochs: 1,
        batch,
        batches,
        fraction: done / total,
        etaSeconds: (total - done) / rate,
        samplesPerSecond: rate,
        featureCache: true,
        phase: 'features',
        ...extra,
      });
    };
  }

  override async onTrainBegin(): Promise<void> {
    this.start = performance.now();
    this.samplesDone = 0;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs: BatchLogs): Promise<void> {
    const p = this.params;
    if (!p || !this.active) return;
    this.samplesDone += logs.size;
    const total = p.samples * Math.max(1, p.epochs - p.initialEpoch);
    const rate = this.samplesDone / Math.max((performance.now() - this.start) / 1000, 1e-9);
    this.emit({
      epoch: this.epoch,
      epochs: p.epochs,
      batch,
      batches: p.batches,
      fraction: this.samplesDone / total,
      etaSeconds: (total - this.samplesDone) / rate,
      samplesPerSecond: rate,
      featureCache: p.featureCache,
      phase: 'fit',
      // Progress runs first in the list, before any schedule sets the next step's rate
      learningRate: this.model?.learningRate,
    });
  }

  private emit(event: ProgressEvent): void {
    for (const listen of this.listeners) listen(event);
  }
}
