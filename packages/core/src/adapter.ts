/**
 * @graftjs/core/adapter: what adapters, head and backbone packages build on, beyond the app API of
 * @graftjs/core. An adapter registers one entry (training backend, inference runtime, export formats) with
 * `backends.register`; these are the types of that entry and the helpers the packages share.
 */
export type {
  BackendCapabilities,
  BackendEntry,
  Exporter,
  ExportFormat,
  ExportSource,
  InferenceRuntime,
  PreparedRuntime,
} from './backends/entry';
export { MAX_TEXT_CHARS, textList, textRows, textsFromRows } from './data/text';
export { log } from './env/log';
export type { AdapterErrorCodes } from './errors/graft-error';
export { describe, errorCodes, GraftError, registerErrorCodes } from './errors/graft-error';
export { exportFormatForPath, getExporter } from './io/exporters';
export { layersModelFromArtifacts } from './io/layers-from-artifacts';
export { readStreamCapped } from './io/read-bounds';
export { getRuntime } from './io/runtimes';
export { enforceFrozenBatchNorm } from './model/frozen-batchnorm';
export type { Backbone, ExtractorBackbone, ExtractorGraph, LayersBackbone, Preprocessing } from './transfer/backbone';
export { isBackbone } from './transfer/backbone';
export { embedSource } from './transfer/embed';
export type { Embedded, EmbedSource } from './transfer/embed-input';
export { embedInput } from './transfer/embed-input';
export { isGraphModel } from './transfer/graph-extractor';
export type { HeadOptions, HeadSpec } from './transfer/head-spec';
export { buildHead, checkHeadOptions, checkUnits, classifier } from './transfer/head-spec';
export { outputLayerOf } from './transfer/output-layer';
export { withEmbed } from './transfer/with-embed';
