import { GraftError } from '@graftjs/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { CatalogueEntry } from './types';

function invalid(why: string): GraftError {
  return new GraftError('INVALID_MODEL_FILE', `expected model.json to be a TF.js model; ${why}`);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Parses model.json as data only (JSON.parse, never evaluated) and checks it is a model of the entry's format
 * whose weight shards are all files the catalogue knows.
 */
export function parseModelJson(bytes: Uint8Array, entry: CatalogueEntry): tf.io.ModelJSON {
  let text: string;
  let json: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('got bytes that are not UTF-8 text');
  }
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(`got text that is not JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw invalid('got JSON that is not an object');
  const topology = json.modelTopology;
  if (!isObject(topology)) throw invalid('got JSON without a "modelTopology" object');
  if (entry.format === 'graph' && !Array.isArray(topology.node)) {
    throw invalid('got a topology without a "node" list (not a graph model)');
  }
  if (entry.format === 'layers' && !isObject(topology.model_config) && typeof topology.class_name !== 'string') {
    throw invalid('got a topology without "model_config" or "class_name" (not a layers model)');
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw invalid('got JSON without a "weightsManifest" list');
  const known = new Set(entry.files.map((f) => f.name));
  for (const group of manifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw invalid('got a weightsManifest group without "paths" and "weights" lists');
    }
    for (const p of group.paths) {
      if (typeof p !== 'string' || !known.has(p) || p === 'model.json') {
        throw invalid(`got a weight path ${JSON.stringify(p)} that is not a published file of ${entry.name}`);
      }
    }
  }
  return json as unknown as tf.io.ModelJSON;
}
