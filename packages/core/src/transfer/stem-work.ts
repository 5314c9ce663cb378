// What FrozenStemStage computes with (base features, cached augmented views, streamed features): loaded with the
// stage's first computation, so building a transfer model downloads none of it.
export { computeFeatures, FEATURE_BATCH } from './compute-features';
export { extractRows } from './extract-rows';
export { refuseStream, streamFeatures, streamRefusal } from './stream-features';
export { viewFeatures, viewRows } from './view-features';
