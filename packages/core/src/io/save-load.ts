import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isNode } from '../env/runtime';
import { describe, GraftError } from '../errors/graft-error';
import { Model, type ModelMetadata } from '../model/model';
import { exportFormatForPath } from './exporters';
import { layersModelFromArtifacts } from './layers-from-artifacts';
import { nodeDirectorySaver, parseModelJson, readNodeModel } from './node-directory';

const BROWSER_SCHEMES = ['indexeddb://', 'localstorage://', 'downloads://', 'http://', 'https://'];

function nodePath(target: string): string | null {
  if (target.startsWith('file://')) return decodeURI(target.slice('file://'.length));
  if (BROWSER_SCHEMES.some((s) => target.startsWith(s))) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return null;
  return isNode ? target : null;
}

/** Saves a model's network with graft metadata (class names, task, preprocessing, history). */
export async function saveModel(model: Model, target: string | tf.io.IOHandler): Promise<void> {
  const format = typeof target === 'string' && isNode ? exportFormatForPath(target) : undefined;
  if (typeof target === 'string' && format) {
    const bytes = await model.export(format);
    const fs = await import('node:fs/promises');
    const tmp = `${target}.tmp-${process.pid}`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
    return;
  }
  const net = model.net;
  // a JSON round trip drops undefined fields, which tfjs rejects as not plain JSON
  net.setUserDefinedMetadata(JSON.parse(JSON.stringify({ graft: { version: 1, ...model.metadata() } })));
  let handler: string | tf.io.IOHandler;
  if (typeof target === 'string') {
    const p = nodePath(target);
    if (p !== null) handler = nodeDirectorySaver(p);
    else if (BROWSER_SCHEMES.some((s) => target.startsWith(s))) handler = target;
    else {
      throw new GraftError(
        'UNSUPPORTED_TARGET',
        `expected a directory path (Node) or one of ${BROWSER_SCHEMES.join(', ')}, got ${JSON.stringify(target)}`,
      );
    }
  } else if (target && typeof target === 'object' && typeof target.save === 'function') {
    handler = target;
  } else {
    throw new GraftError(
      'UNSUPPORTED_TARGET',
      `expected a save target string or a tf.io.IOHandler, got ${describe(target)}`,
    );
  }
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

export interface LoadOptions {
  /** Upper bound for weight bytes (default 2 GiB). */
  maxBytes?: number;
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
  const meta = (net.getUserDefinedMetadata() as { graft?: ModelMetadata } | undefined)?.graft ?? {};
  return new Model(net, sanitiseMetadata(meta));
}

/** Reads a model's files (topology and weights) without building anything. */
async function loadArtifacts(source: string | tf.io.IOHandler, maxBytes?: number): Promise<tf.io.ModelArtifacts> {
  if (typeof source === 'string') {
    const p = nodePath(source);
    if (p !== null) return readNodeModel(p, maxBytes);
    if (source.startsWith('http://') || source.startsWith('https://')) return fetchModel(source, maxBytes);
    const handler = BROWSER_SCHEMES.some((s) => source.startsWith(s)) ? tf.io.getLoadHandlers(source)[0] : undefined;
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

/** Keeps only known metadata fields with the right types: saved files are data, never trusted. */
function sanitiseMetadata(m: ModelMetadata): ModelMetadata {
  const out: ModelMetadata = {};
  if (Array.isArray(m.classNames) && m.classNames.every((c) => typeof c === 'string'))
    out.classNames = [...m.classNames];
  if (typeof m.task === 'string') out.task = m.task;
  if (typeof m.loss === 'string') out.loss = m.loss;
  if (Array.isArray(m.metrics)) out.metrics = m.metrics.filter((x) => typeof x === 'string');
  if (m.preprocessing && typeof m.preprocessing === 'object' && Array.isArray(m.preprocessing.size))
    out.preprocessing = m.preprocessing;
  if (m.history && typeof m.history === 'object') {
    const h: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(m.history))
      if (Array.isArray(v) && k !== '__proto__') h[k] = v.filter((n) => typeof n === 'number');
    out.history = h;
  }
  return out;
}
