import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { decode } from 'fast-png';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../../..');
export const ASSETS = path.resolve(REPO_ROOT, '../shared/assets');
export const HAS_ASSETS = existsSync(ASSETS);
export const MOBILENET_LAYERS = path.join(ASSETS, 'mobilenet_v1_0.25_224/layers');
export const MOBILENET_GRAPH = path.join(ASSETS, 'mobilenet_v1_0.25_224/graph');
export const DARKNET = path.join(ASSETS, 'darknet_tiny');
export const MOBILENET_V2_TM = path.join(ASSETS, 'mobilenet_v2_0.35_224_tm');

/** Asset-based suites skip with a visible message where the shared assets folder is absent. */
export function warnIfNoAssets(suite: string): void {
  if (!HAS_ASSETS) console.warn(`[zoo] skipping ${suite}: test assets not found at ${ASSETS}`);
}

/** A photo as a [1, 224, 224, 3] batch scaled from 0..255 into `range` (decoded with fast-png, bilinear resize). */
export function photoBatch(name: string, range: [number, number]): tf.Tensor4D {
  const png = decode(readFileSync(path.join(ASSETS, 'photos', name)));
  if (png.depth !== 8) throw new Error(`test expects 8-bit PNGs; ${name} has depth ${png.depth}`);
  const { width, height, channels } = png;
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = png.data[i * channels + (channels >= 3 ? c : 0)];
  }
  return tf.tidy(() => {
    const image = tf.image.resizeBilinear(tf.tensor3d(rgb, [height, width, 3]), [224, 224]);
    const scaled = tf.add(tf.mul(image, (range[1] - range[0]) / 255), range[0]);
    return tf.expandDims(scaled, 0) as tf.Tensor4D;
  });
}

/** Indices of the k largest values of a [1, n] tensor. */
export function topK(t: tf.Tensor, k: number): number[] {
  const values = Array.from(t.dataSync());
  return values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, i]) => i);
}

export function imagenetLabels(): string[] {
  return JSON.parse(readFileSync(path.join(ASSETS, 'mobilenet_v1_0.25_224/metadata.json'), 'utf8')).labels;
}
