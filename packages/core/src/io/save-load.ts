import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, GraftError } from '../errors/graft-error';
import { type ModelMetadata, sanitiseMetadata } from '../model/metadata';
import { Model } from '../model/model';
import type { ExtractorBackbone } from '../transfer/backbone';
import { modelOnBase } from '../transfer/model-on-base';
import { layersModelFromArtifacts } from './layers-from-artifacts';
import { parseModelJson } from './model-json';
import { checkMaxBytes, MAX_MODEL_JSON_BYTES, readBodyCapped } from './read-bounds';
import { isBrowserScheme, nodePath } from './save-target';

export interface LoadOptions {
  /**
   * Upper bound for weight bytes (default 2 GiB), checked against the manifest before any weight file is read;
   * no file is read past what the manifest declares. A positive number; NaN or a string is INVALID_OPTION.
   */
  maxBytes?: number;
  /** The frozen base a model saved on a referenced base needs (one whose `reference` the save names); it stays the caller's. */
  base?: ExtractorBackbone;
}

/** Loads a model saved by `model.save` (or any tfjs Layers model): directory, URL, indexeddb://, handler. */
export async function loadModel(source: string | tf.io.IOHandler, options: LoadOptions = {}): Promise<Model> {
  if (typeof options !== 'object' || options === null) {
    throw new GraftError('INVALID_OPTION', `expected load options { maxBytes?, base? }, got ${describe(options)}`);
  }
  const maxBytes = checkMaxBytes(options.maxBytes, 'options.maxBytes');
  let net: tfl.LayersModel;
  try {
    net = await layersModelFromArtifacts(await loadArtifacts(source, maxBytes));
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'LOAD_FAILED',
      `could not load a model from ${typeof source === 'string' ? source : 'the handler'}: ${(e as Error).message}`,
    );
  }
  let meta: ModelMetadata;
  try {
    meta = sanitiseMetadata((net.getUserDefinedMetadata() as { graft?: ModelMetadata } | undefined)?.graft ?? {});
    if (meta.base === undefined && options.base === undefined) return new Model(net, meta);
    return modelOnBase(net, meta, options.base);
  } catch (e) {
    net.dispose(); // nothing of a refused file stays alive
    throw e;
  }
}

/** Reads a model's files (topology and weights) without building anything. */
async function loadArtifacts(source: string | tf.io.IOHandler, maxBytes?: number): Promise<tf.io.ModelArtifacts> {
  if (typeof source === 'string') {
    const p = nodePath(source);
    if (p !== null) return (await import('./node-directory')).readNodeModel(p, maxBytes);
    if (source.startsWith('http://') || source.startsWith('https://')) return fetchModel(source, maxBytes);
    const handler = isBrowserScheme(source) ? tf.io.getLoadHandlers(source)[0] : undefined;
    if (!handler?.load) {
      throw new GraftError(
        'UNSUPPORTED_TARGET',
        `expected a directory path (Node), a URL or indexeddb://..., got ${JSON.stringify(source)}`,
      );
    }
    return handler.load();
  }
  if (source && typeof source === 'object' && typeof source.load === 'function') return source.load();
  throw new GraftError(
    'UNSUPPORTED_TARGET',
    `expected a model location string or a tf.io.IOHandler, got ${describe(source)}`,
  );
}

async function fetchModel(url: string, maxBytes?: number): Promise<tf.io.ModelArtifacts> {
  const res = await fetch(url);
  if (!res.ok) throw new GraftError('LOAD_FAILED', `GET ${url} answered ${res.status}`);
  const body = await readBodyCapped(
    res,
    MAX_MODEL_JSON_BYTES,
    `model.json at ${url}`,
    'a model.json is never this large',
  );
  const text = new TextDecoder().decode(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GraftError('INVALID_MODEL_FILE', `expected JSON at ${url}: ${(e as Error).message}`);
  }
  const base = url.slice(0, url.lastIndexOf('/') + 1);
  return parseModelJson(
    json,
    async (p, budget) => {
      const r = await fetch(new URL(p, base).toString());
      if (!r.ok) throw new GraftError('WEIGHTS_MISSING', `weight file ${p} answered ${r.status}`);
      return readBodyCapped(r, budget, `weight file ${p}`, 'more than the weights manifest declares');
    },
    maxBytes,
  );
}
