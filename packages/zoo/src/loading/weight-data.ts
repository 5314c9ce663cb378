import { GraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import type { VerifiedFiles } from './verified-files';

const BYTES_PER: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES_PER[dtype];
  if (per === undefined) {
    throw new GraftError('INVALID_MODEL_FILE', `expected numeric weights; ${spec.name} has dtype ${String(dtype)}`);
  }
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

/** The weight specs of model.json in order, with the bytes of their shards joined into one buffer. */
export function weightData(files: VerifiedFiles): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of files.modelJson.weightsManifest) {
    const shards = group.paths.map((p) => files.bytes.get(p) as Uint8Array);
    const have = shards.reduce((s, b) => s + b.byteLength, 0);
    const need = group.weights.reduce((s, w) => s + specBytes(w), 0);
    // Shard sizes are pinned by the catalogue; this guards a manifest that asks for more than its shards hold.
    if (have < need) {
      throw new GraftError(
        'WEIGHTS_TRUNCATED',
        `expected ${group.paths.join(', ')} to hold ${need} bytes of weights; got ${have}`,
        { files: group.paths, expected: need, actual: have },
      );
    }
    specs.push(...group.weights);
    const joined = new Uint8Array(need);
    let at = 0;
    for (const s of shards) {
      const take = Math.min(s.byteLength, need - at);
      joined.set(s.subarray(0, take), at);
      at += take;
    }
    parts.push(joined);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return { specs, data: out.buffer };
}

/** ModelArtifacts for tf.io.fromMemory: topology and weights, no URLs and no code. */
export function modelArtifacts(files: VerifiedFiles): tf.io.ModelArtifacts {
  const { specs, data } = weightData(files);
  return tf.io.getModelArtifactsForJSONSync(files.modelJson, specs, data);
}
