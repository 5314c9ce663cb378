import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { FitControl } from '../training/fit-control';
import type { HistoryRecord } from '../training/history';
import type { FeatureStage } from './feature-stage';
import type { Objective } from './objective';
import type { OptimizerSlot } from './optimizer-slot';

/**
 * What the lazily loaded bodies of a Model's fit, evaluate and predict (fit-run.ts, evaluate-run.ts,
 * predict-run.ts) read and change of the model: its network, stage, objective and class names, live.
 */
export interface ModelHost {
  readonly net: LayersModel;
  readonly isBuilt: boolean;
  readonly stage: FeatureStage;
  readonly optimizer: OptimizerSlot;
  readonly objective: Objective;
  readonly history: HistoryRecord;
  classNames: string[] | undefined;
  /** The first seeded fit's seed, for a model not built yet (builders seed initial weights with it). */
  seedOnce(seed: number): void;
  /** The running fit's control (stopTraining). */
  setControl(control: FitControl): void;
}
