import type * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';
import { parseModelJson, type WeightReader } from './model-json';
import { checkMaxBytes, checkReadSize, MAX_MODEL_JSON_BYTES } from './read-bounds';

type Artifacts = tf.io.ModelArtifacts;
type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

function concatWeights(data: Artifacts['weightData']): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (Array.isArray(data)) {
    const total = data.reduce((a, b) => a + b.byteLength, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of data) {
      out.set(new Uint8Array(b), o);
      o += b.byteLength;
    }
    return out;
  }
  return new Uint8Array(data);
}

/**
 * Saves tfjs Layers artifacts to a Node directory as model.json + weights.bin. Each file is written to a
 * temporary name and renamed, so a crash mid-save leaves the previous files intact.
 */
export function nodeDirectorySaver(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: Artifacts): Promise<tf.io.SaveResult> {
      const fs = await import('node:fs/promises');
      const path = await import('node:path');
      try {
        await fs.mkdir(dir, { recursive: true });
        const weights = concatWeights(artifacts.weightData);
        const modelJson = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
          userDefinedMetadata: artifacts.userDefinedMetadata,
          trainingConfig: artifacts.trainingConfig,
        };
        const tmp = `.tmp-${process.pid}-${Date.now()}`;
        const wTmp = path.join(dir, `weights.bin${tmp}`);
        const mTmp = path.join(dir, `model.json${tmp}`);
        await fs.writeFile(wTmp, weights);
        await fs.writeFile(mTmp, JSON.stringify(modelJson));
        // weights first: a model.json never points at weights that are not complete
        await fs.rename(wTmp, path.join(dir, 'weights.bin'));
        await fs.rename(mTmp, path.join(dir, 'model.json'));
        return {
          modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength },
        };
      } catch (e) {
        throw new GraftError('SAVE_FAILED', `could not save the model to directory ${dir}: ${(e as Error).message}`);
      }
    },
  };
}

/** `full`'s real path when it lies inside `rootReal` (symlinks resolved), else a refusal. */
async function realInside(fs: Fs, path: Path, full: string, rootReal: string, what: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(full);
  } catch {
    throw new GraftError('WEIGHTS_MISSING', `${what} is missing`);
  }
  if (!real.startsWith(rootReal + path.sep)) {
    throw new GraftError('INVALID_MODEL_FILE', `${what} resolves to ${real}, outside the model directory ${rootReal}`);
  }
  return real;
}

/** A weight reader for one model directory: stays inside it, and stats each file before reading it. */
function directoryReader(fs: Fs, path: Path, dir: string, jsonPath: string): WeightReader {
  return async (p, budget) => {
    const full = path.resolve(dir, p);
    const what = `weight file ${JSON.stringify(p)} listed in ${jsonPath}`;
    if (!full.startsWith(path.resolve(dir) + path.sep)) {
      throw new GraftError('INVALID_MODEL_FILE', `weight path ${JSON.stringify(p)} points outside the model directory`);
    }
    const real = await realInside(fs, path, full, await fs.realpath(dir), what);
    const stat = await fs.stat(real);
    checkReadSize(stat.size, budget, what, 'more than the weights manifest declares');
    try {
      return new Uint8Array(await fs.readFile(real));
    } catch {
      throw new GraftError('WEIGHTS_MISSING', `${what} could not be read`);
    }
  };
}

async function readJson(fs: Fs, jsonPath: string): Promise<unknown> {
  let size: number;
  try {
    size = (await fs.stat(jsonPath)).size;
  } catch {
    throw new GraftError('LOAD_FAILED', `expected ${jsonPath} to exist (not found)`);
  }
  checkReadSize(size, MAX_MODEL_JSON_BYTES, jsonPath, 'a model.json is topology and a manifest, never this large');
  try {
    return JSON.parse(await fs.readFile(jsonPath, 'utf8'));
  } catch (e) {
    throw new GraftError('INVALID_MODEL_FILE', `expected ${jsonPath} to be a JSON model file: ${(e as Error).message}`);
  }
}

/**
 * Reads model.json and its weight files from a Node directory (or a model.json path). Weight files must lie inside
 * the directory once symlinks are resolved, and none is read past what the manifest declares (at most `maxBytes`).
 */
export async function readNodeModel(target: string, maxBytes?: number): Promise<Artifacts> {
  const limit = checkMaxBytes(maxBytes);
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  let jsonPath = target;
  try {
    if ((await fs.stat(target)).isDirectory()) jsonPath = path.join(target, 'model.json');
  } catch {
    throw new GraftError(
      'LOAD_FAILED',
      `expected a model directory or model.json path, got ${JSON.stringify(target)} (not found)`,
    );
  }
  const json = await readJson(fs, jsonPath);
  return parseModelJson(json, directoryReader(fs, path, path.dirname(jsonPath), jsonPath), limit);
}
