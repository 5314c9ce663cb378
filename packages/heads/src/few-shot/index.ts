import { FewShotClassifier } from './classifier';
import type { FewShotOptions } from './options';
import type { FewShotState } from './state';

/**
 * A few-shot classifier on a base's embeddings, with no training (ml5's KNNClassifier, Teachable Machine):
 * `const knn = fewShot(base, { k: 3 }); await knn.addExample('cat.jpg', 'cat'); await knn.predict('x.jpg')`.
 */
export function fewShot(base: unknown, options: FewShotOptions = {}): FewShotClassifier {
  return new FewShotClassifier(base, options);
}

/** `FewShotClassifier.load`: a saved classifier (state or JSON text) on the base it was saved on. */
export function loadFewShot(state: FewShotState | string, base: unknown): FewShotClassifier {
  return FewShotClassifier.load(state, base);
}

export type { FewShotPrediction } from './classifier';
export { FewShotClassifier } from './classifier';
export type { FewShotOptions, ResolvedFewShotOptions } from './options';
export type { FewShotState } from './state';
export type { Metric } from './vote';
