import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isNode } from '../env/runtime';
import { describe, GraftError } from '../errors/graft-error';
import { type ModelMetadata, sanitiseMetadata } from '../model/metadata';
import { Model } from '../model/model';
import type { ExtractorBackbone } from '../transfer/backbone';
import { modelOnBase } from '../transfer/model-on-base';
import { layersModelFromArtifacts } from './layers-from-artifacts';
import { parseModelJson, readNodeModel } from './node-directory';
import { isBrowserScheme, nodePath } from './save-target';

export interface LoadOptions {
  /** Upper bound for weight bytes (default 2 GiB). */
  maxBytes?: number;
  /** The frozen base a model saved on a referenced base needs (e.g. `await sentenceEncoder()`); it stays the caller's. */
  base?: ExtractorBackbone;
}

/** Loads a model saved by `model.save` (or any tfjs Layers model): directory, URL, indexeddb://, handler. */
export async function loadModel(source: string | tf.io.IOHandler, options: LoadOptions = {}): Promise<Model> {
  let net: tfl.LayersModel;
  try {
    net = await layersModelFromArtifacts(await loadArtifacts(source, options.maxBytes));
  } catch (e) {
    if (e instanceof GraftError) throw e;
    throw new GraftError(
      'LOAD_FAILED',
      `could not load a model from ${typeof source === 'string' ? source : 'the handler'}: ${(e as Error).message}`,
    );
  }
  const meta = sanitiseMetadata((net.getUserDefinedMetadata() as { graft?: ModelMetadata } | undefined)?.graft ?? {});
  if (meta.base === undefined && options.base === undefined) return new Model(net, meta);
  try {
    return modelOnBase(net, meta, options.base);
  } catch (e) {
    net.dispose();
    throw e;
  }
}

/** Reads a model's files (topology and weights) without building anything. */
async function loadArtifacts(source: string | tf.io.IOHandler, maxBytes?: number): Promise<tf.io.ModelArtifacts> {
  if (typeof source === 'string') {
    const p = nodePath(source);
    if (p !== null) return readNodeModel(p, maxBytes);
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

async function fetchModel(url: string, maxBytes = 2 ** 31): Promise<tf.io.ModelArtifacts> {
  const res = await fetch(url);
  if (!res.ok) throw new GraftError('LOAD_FAILED', `GET ${url} answered ${res.status}`);
  const text = await res.text();
  if (text.length > 64 * 2 ** 20)
    throw new GraftError('FILE_TOO_LARGE', `model.json at ${url} is ${text.length} bytes, above 64 MiB`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GraftError('INVALID_MODEL_FILE', `expected JSON at ${url}: ${(e as Error).message}`);
  }
  const base = url.slice(0, url.lastIndexOf('/') + 1);
  return parseModelJson(
    json,
    async (p) => {
      const r = await fetch(new URL(p, base).toString());
      if (!r.ok) throw new GraftError('WEIGHTS_MISSING', `weight file ${p} answered ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
    maxBytes,
  );
}
