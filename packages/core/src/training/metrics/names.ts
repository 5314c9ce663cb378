/** The metrics counted over a whole epoch or evaluation (Keras' stateful metrics), by their history names. */
export const COUNT_METRIC_NAMES = [
  'precision',
  'recall',
  'f1',
  'auc',
  'prAuc',
  'truePositives',
  'falsePositives',
  'trueNegatives',
  'falseNegatives',
] as const;

export type CountMetricName = (typeof COUNT_METRIC_NAMES)[number];

export function isCountMetric(name: string): name is CountMetricName {
  return (COUNT_METRIC_NAMES as readonly string[]).includes(name);
}
