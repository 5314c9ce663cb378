export interface ClassPrediction {
  /** Class name when known, else the index. */
  label: string | number;
  index: number;
  probabilities: number[];
}

/**
 * One of two classes from one sigmoid unit (`binary()` head): `probability` is P(`positive`), the second class
 * name (classNames[1]); `label` the predicted class (the positive one when probability > 0.5).
 */
export interface BinaryPrediction extends ClassPrediction {
  probability: number;
  /** The class `probability` is about: classNames[1], else 1. */
  positive: string | number;
}

export interface MultiLabelPrediction {
  /** Labels whose probability is above 0.5. */
  labels: (string | number)[];
  probabilities: number[];
}

export interface RegressionPrediction {
  value: number[];
}

export type Prediction = ClassPrediction | BinaryPrediction | MultiLabelPrediction | RegressionPrediction;

export type Task = 'classification' | 'binary' | 'multiLabel' | 'regression' | 'embedding';

export function taskFor(activation: string, units: number, loss?: string): Task {
  if (loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy' || activation === 'softmax')
    return 'classification';
  if (loss === 'binaryCrossentropy' || activation === 'sigmoid') return units === 1 ? 'binary' : 'multiLabel';
  return 'regression';
}

/** Turns raw output rows into one readable prediction per row. */
export function formatPredictions(task: Task, rows: Float32Array, width: number, classNames?: string[]): Prediction[] {
  const out: Prediction[] = [];
  const name = (i: number) => classNames?.[i] ?? i;
  for (let r = 0; r < rows.length / width; r++) {
    const row = Array.from(rows.subarray(r * width, (r + 1) * width));
    if (task === 'classification') {
      let best = 0;
      for (let i = 1; i < width; i++) if (row[i] > row[best]) best = i;
      out.push({ label: name(best), index: best, probabilities: row });
    } else if (task === 'binary') {
      const p = row[0];
      const index = p > 0.5 ? 1 : 0;
      out.push({ label: name(index), index, probability: p, positive: name(1), probabilities: [1 - p, p] });
    } else if (task === 'multiLabel') {
      out.push({ labels: row.flatMap((p, i) => (p > 0.5 ? [name(i)] : [])), probabilities: row });
    } else {
      out.push({ value: row });
    }
  }
  return out;
}
