import { GraftError } from '../../errors/graft-error';
import type { LossName } from '../../model/losses';
import type { NamedMetric } from '../evaluate';
import { type DecisionKind, decisionCounts, thresholdCounts } from './counts';
import type { CountMetricName } from './names';
import { COUNT_RESULTS } from './results';

function kindFor(loss: LossName | null, name: string): DecisionKind {
  if (loss === 'binaryCrossentropy') return 'binary';
  if (loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy') return 'multiClass';
  throw new GraftError(
    'INVALID_OPTION',
    `metric ${JSON.stringify(name)} counts class decisions and needs a cross-entropy loss, got ${loss === null ? 'a custom loss' : JSON.stringify(loss)}`,
  );
}

/** A stateful count metric for this loss: counts per batch, summed over the epoch, finished by its result. */
export function countMetric(name: CountMetricName, loss: LossName | null, fromLogits: boolean): NamedMetric {
  const kind = kindFor(loss, name);
  const opts = { sparse: loss === 'sparseCategoricalCrossentropy', fromLogits };
  const counts = name === 'auc' || name === 'prAuc' ? thresholdCounts : decisionCounts;
  return { name, fn: (y, p) => counts(y, p, kind, opts), result: COUNT_RESULTS[name] };
}
