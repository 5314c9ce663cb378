// What FrozenStemStage computes with (base features, cached augmented views, streamed and iterable features, the
// resumable pass and its feature store, the base's content fingerprint): loaded with the stage's first computation,
// so building a transfer model downloads none of it.
export { baseFingerprint } from './base-fingerprint';
export { computeFeatures, FEATURE_BATCH } from './compute-features';
export { extractRows } from './extract-rows';
export { iterableFeatures } from './iterable-features';
export { ResumablePass } from './resumable-pass';
export { stemIterable, stemShards, stemStream, stemTraining } from './stem-stage-work';
export { refuseStream, streamRefusal } from './stream-features';
export { viewFeatures, viewRows } from './view-features';
