import type { Pooling } from '@graftjs/core';
import { describe, GraftError } from '@graftjs/core/adapter';
import type { Metric } from './vote';

export interface FewShotOptions {
  /** Neighbours that vote (ml5's `k`); default 3. Ignored in 'prototype' mode. */
  k?: number;
  /** Default 'cosine' (examples are scaled to unit length); 'euclidean' compares raw embeddings. */
  metric?: Metric;
  /** 'knn' (default): the k nearest examples vote. 'prototype': the nearest class mean embedding wins. */
  mode?: 'knn' | 'prototype';
  /** Prototype mode: probabilities are softmax(-distance / temperature); default 0.1. */
  temperature?: number;
  /** How a layers base's feature map becomes vectors, as in `embed`; default 'avg'. */
  pooling?: Pooling;
}

export type ResolvedFewShotOptions = Required<Omit<FewShotOptions, 'pooling'>> & Pick<FewShotOptions, 'pooling'>;

/** Checks every option before anything is built; unknown keys are refused so a typo is not silently ignored. */
export function resolveFewShotOptions(options: FewShotOptions): ResolvedFewShotOptions {
  if (typeof options !== 'object' || options === null)
    throw new GraftError('INVALID_OPTION', `expected fewShot options as an object, got ${describe(options)}`);
  const known = ['k', 'metric', 'mode', 'temperature', 'pooling'];
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new GraftError(
      'INVALID_OPTION',
      `expected fewShot options among ${known.join(', ')}, got ${unknown.join(', ')}`,
    );
  const { k = 3, metric = 'cosine', mode = 'knn', temperature = 0.1, pooling } = options;
  if (!Number.isInteger(k) || k < 1)
    throw new GraftError('INVALID_OPTION', `expected k as an integer >= 1, got ${describe(k)}`);
  if (metric !== 'cosine' && metric !== 'euclidean')
    throw new GraftError('INVALID_OPTION', `expected metric 'cosine' or 'euclidean', got ${describe(metric)}`);
  if (mode !== 'knn' && mode !== 'prototype')
    throw new GraftError('INVALID_OPTION', `expected mode 'knn' or 'prototype', got ${describe(mode)}`);
  if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature)))
    throw new GraftError('INVALID_OPTION', `expected temperature as a number > 0, got ${describe(temperature)}`);
  return { k, metric, mode, temperature, pooling };
}

/** A class label: a non-empty string, or a finite number (kept as its decimal string, as ml5 does). */
export function labelName(label: unknown): string {
  if (typeof label === 'string' && label.length > 0) return label;
  if (typeof label === 'number' && Number.isFinite(label)) return String(label);
  throw new GraftError(
    'INVALID_LABEL',
    `expected a label as a non-empty string or a finite number, got ${describe(label)}`,
  );
}
