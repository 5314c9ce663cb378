import { exportFormats } from '../backends/registry';
import { GraftError } from '../errors/graft-error';

export type { Exporter, ExportFormat, ExportSource } from '../backends/entry';

/** The exporter of a registered format; adapters add formats through their registry entry's `exports`. */
export function getExporter(format: string) {
  const spec = exportFormats().get(format);
  if (!spec) {
    throw new GraftError(
      'UNKNOWN_EXPORT_FORMAT',
      `expected an export format in [${[...exportFormats().keys()].join(', ')}], got ${JSON.stringify(format)}` +
        ' (export formats come with their adapter: import the adapter package, or its "graftjs/<name>" subpath)',
    );
  }
  return spec.run;
}

/** The format whose adapter claims the extension of `path` (case-insensitive), if any. */
export function exportFormatForPath(path: string): string | undefined {
  const lower = path.toLowerCase();
  for (const [format, spec] of exportFormats()) {
    if (spec.extensions.some((ext) => lower.endsWith(ext))) return format;
  }
  return undefined;
}
