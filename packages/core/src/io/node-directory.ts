import type * as tf from '@tensorflow/tfjs-core';
import { GraftError } from '../errors/graft-error';

type Artifacts = tf.io.ModelArtifacts;

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

/** Reads model.json and its weight files from a Node directory (or a model.json path). */
export async function readNodeModel(target: string, maxBytes = 2 ** 31): Promise<Artifacts> {
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
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
  } catch (e) {
    throw new GraftError('INVALID_MODEL_FILE', `expected ${jsonPath} to be a JSON model file: ${(e as Error).message}`);
  }
  const dir = path.dirname(jsonPath);
  return parseModelJson(
    json,
    async (p) => {
      const full = path.resolve(dir, p);
      if (!full.startsWith(path.resolve(dir) + path.sep)) {
        throw new GraftError(
          'INVALID_MODEL_FILE',
          `weight path ${JSON.stringify(p)} points outside the model directory`,
        );
      }
      try {
        return new Uint8Array(await fs.readFile(full));
      } catch {
        throw new GraftError('WEIGHTS_MISSING', `weight file ${JSON.stringify(p)} listed in ${jsonPath} is missing`);
      }
    },
    maxBytes,
  );
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

/**
 * Turns a parsed model.json into artifacts: data only, nothing evaluated. Checks the weights manifest
 * adds up to the bytes read, so a truncated or hostile file fails with a GraftError, not later in tfjs.
 */
export async function parseModelJson(
  json: unknown,
  read: (path: string) => Promise<Uint8Array>,
  maxBytes = 2 ** 31,
): Promise<Artifacts> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GraftError(
      'INVALID_MODEL_FILE',
      'expected model.json to hold an object with modelTopology and weightsManifest',
    );
  }
  const m = json as Record<string, unknown>;
  if (typeof m.modelTopology !== 'object' || m.modelTopology === null || !Array.isArray(m.weightsManifest)) {
    throw new GraftError(
      'INVALID_MODEL_FILE',
      `expected model.json with modelTopology and weightsManifest, got keys [${Object.keys(m).slice(0, 10).join(', ')}]`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let expected = 0;
  for (const group of m.weightsManifest as unknown[]) {
    const g = group as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw new GraftError('INVALID_MODEL_FILE', 'expected each weightsManifest entry to have paths[] and weights[]');
    }
    for (const w of g.weights as tf.io.WeightsManifestEntry[]) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !(w.dtype in DTYPE_BYTES)) {
        throw new GraftError(
          'INVALID_MODEL_FILE',
          `expected weight specs with name, shape and dtype, got ${JSON.stringify(w).slice(0, 80)}`,
        );
      }
      if (w.shape.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31)) {
        throw new GraftError('INVALID_MODEL_FILE', `weight ${w.name} has an invalid shape [${w.shape.join(', ')}]`);
      }
      const q = (w as { quantization?: { dtype?: string } }).quantization;
      const bytes = q?.dtype ? (DTYPE_BYTES[q.dtype] ?? 1) : DTYPE_BYTES[w.dtype];
      expected += w.shape.reduce((a, b) => a * b, 1) * bytes;
      specs.push(w);
    }
    if (expected > maxBytes) {
      throw new GraftError(
        'FILE_TOO_LARGE',
        `the weights manifest declares ${expected} bytes, above the limit of ${maxBytes}`,
      );
    }
    for (const p of g.paths as unknown[]) {
      if (typeof p !== 'string') throw new GraftError('INVALID_MODEL_FILE', 'expected weight paths to be strings');
      chunks.push(await read(p));
    }
  }
  const total = chunks.reduce((a, b) => a + b.byteLength, 0);
  if (total < expected) {
    throw new GraftError(
      'WEIGHTS_TRUNCATED',
      `expected ${expected} bytes of weights as the manifest declares, got ${total}`,
    );
  }
  const data = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.byteLength;
  }
  return {
    modelTopology: m.modelTopology as Artifacts['modelTopology'],
    format: m.format as string | undefined,
    generatedBy: m.generatedBy as string | undefined,
    convertedBy: m.convertedBy as string | null | undefined,
    weightSpecs: specs,
    weightData: data.buffer,
    userDefinedMetadata: m.userDefinedMetadata as Artifacts['userDefinedMetadata'],
  };
}
