export type { EmbeddingOptions, HeadOptions } from './heads';
export { classifier, embedding, multiLabel, regression } from './heads';
export { L2Normalize } from './l2-normalize';
export { tripletLoss } from './triplet-loss';
