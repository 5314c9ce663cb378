export type { HeadOptions } from '@graftjs/core';
// the one classifier factory lives in core, where addHead(n) needs it
export { classifier } from '@graftjs/core/adapter';
export type { FewShotOptions, FewShotPrediction, FewShotState, Metric, ResolvedFewShotOptions } from './few-shot';
export { FewShotClassifier, fewShot, loadFewShot } from './few-shot';
export type { EmbeddingOptions } from './heads';
export { binary, embedding, multiLabel, regression } from './heads';
export { L2Normalize } from './l2-normalize';
export { tripletLoss } from './triplet-loss';
