import type { LayersModel } from '@tensorflow/tfjs-layers';
import { GraftError } from '../errors/graft-error';
import type { ExtractorBackbone, Preprocessing } from '../transfer/backbone';

/** What an exporter receives: the trainable tfjs network plus what runs before it. */
export interface ExportSource {
  net: LayersModel;
  /** A frozen non-tfjs base whose features feed `net` (ONNX backbone), if any. */
  extractor?: ExtractorBackbone;
  preprocessing?: Preprocessing;
  classNames?: string[];
}

export type Exporter = (source: ExportSource) => Promise<Uint8Array>;

const exporters = new Map<string, Exporter>();

/** Adapters register export formats on import (e.g. `@graftjs/backend-onnx` registers "onnx"). */
export function registerExporter(format: string, exporter: Exporter): void {
  exporters.set(format, exporter);
}

export function getExporter(format: string): Exporter {
  const e = exporters.get(format);
  if (!e) {
    throw new GraftError(
      'UNKNOWN_EXPORT_FORMAT',
      `expected an export format in [${[...exporters.keys()].join(', ')}], got ${JSON.stringify(format)}` +
        (format === 'onnx' ? ' (import "@graftjs/backend-onnx" or "graftjs" to enable ONNX export)' : ''),
    );
  }
  return e;
}
