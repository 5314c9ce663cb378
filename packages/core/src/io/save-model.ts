import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import type { ModelMetadata } from '../model/metadata';
import { writeFileAtomically } from './checkpoint-file';
import { type Exporter, type ExportSource, exportFormatForPath, getExporter } from './exporters';
import { nodeDirectorySaver } from './node-directory';
import { BROWSER_SCHEMES, isBrowserScheme, nodePath } from './save-target';

/** What saving needs from a model. */
export interface SaveableModel {
  readonly net: LayersModel;
  metadata(): ModelMetadata;
  exportSource(): ExportSource;
}

/**
 * Saves a model. A Node file path whose extension an exporter claims (e.g. `model.<format>`) gets that export's
 * bytes; anything else saves the tfjs layers format with graft metadata (class names, task, preprocessing, history).
 */
export async function saveModel(model: SaveableModel, target: string | tf.io.IOHandler): Promise<void> {
  const exported = typeof target === 'string' ? exportTarget(target) : null;
  if (exported) {
    await writeFileAtomically(exported.path, await exported.exporter(model.exportSource()), 'the model');
    return;
  }
  const extractor = model.exportSource().extractor;
  if (extractor && !extractor.reference) {
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      `a model on the non-tfjs base "${extractor.name}" cannot be saved in the tfjs layers format; save it to a file ` +
        'whose extension names an export format (model.save("model.<format>"), with that format\'s adapter imported) or call export(format)',
    );
  }
  const net = model.net;
  // a JSON round trip drops undefined fields, which tfjs rejects as not plain JSON
  // a base with a reference is named, not copied: loadModel(dir, { base }) joins the head to it again
  const meta = { version: 1, ...model.metadata(), base: extractor?.reference };
  net.setUserDefinedMetadata(JSON.parse(JSON.stringify({ graft: meta })));
  const handler = saveHandler(target);
  try {
    await net.save(handler);
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'SAVE_FAILED',
      `could not save to ${typeof target === 'string' ? target : 'the handler'}: ${(e as Error).message}`,
    );
  }
}

/** A Node path ending in an extension that a registered export format claims, with that format's exporter. */
function exportTarget(target: string): { path: string; exporter: Exporter } | null {
  const path = nodePath(target);
  const format = path === null ? undefined : exportFormatForPath(target);
  // no format claims it: a directory whose name has a dot
  return path !== null && format ? { path, exporter: getExporter(format) } : null;
}

function saveHandler(target: string | tf.io.IOHandler): string | tf.io.IOHandler {
  if (typeof target === 'string') {
    const p = nodePath(target);
    if (p !== null) return nodeDirectorySaver(p);
    if (isBrowserScheme(target)) return target;
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      `expected a directory path (Node) or one of ${BROWSER_SCHEMES.join(', ')}, got ${JSON.stringify(target)}`,
    );
  }
  if (target && typeof target === 'object' && typeof target.save === 'function') return target;
  throw new GraftError(
    'UNSUPPORTED_TARGET',
    `expected a save target string or a tf.io.IOHandler, got ${describe(target)}`,
  );
}
