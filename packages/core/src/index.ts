import './backends/cpu';

export { ERROR_CODES, GraftError, isGraftError, describe } from './errors/graft-error';
export type { GraftErrorCode } from './errors/graft-error';
export { backends } from './backends/registry';
export type { BackendCapabilities, BackendChoice, BackendEntry, BackendStatus } from './backends/registry';
export type { Backbone, ExtractorBackbone, LayersBackbone, Preprocessing } from './transfer/backbone';
export { isBackbone } from './transfer/backbone';
export { registerExporter, getExporter } from './io/exporters';
export type { ExportSource, Exporter } from './io/exporters';
export { registerRuntime, getRuntime } from './io/runtimes';
export type { InferenceRuntime, PreparedRuntime } from './io/runtimes';
