import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import { exportOnnx } from '../src';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ASSETS = path.resolve(REPO_ROOT, '../shared/assets');
export const INT8_MODEL = path.join(ASSETS, 'mobilenetv2-12-int8/mobilenetv2-12-int8.onnx');

/** Whether onnxruntime-node can be imported here (it is the repo's devDependency; an optional peer). */
export const NATIVE_INSTALLED = await import('onnxruntime-node').then(
  () => true,
  () => false,
);
if (!NATIVE_INSTALLED) console.warn('[backend-onnx] onnxruntime-node is not installed: native runtime tests skipped');

// Two shared cores: one onnxruntime thread keeps timings honest and avoids a worker pool.
ort.env.wasm.numThreads = 1;

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Sets every weight to seeded values (variances positive) so BN stats and biases are not trivial. */
export function seedWeights(model: LayersModel, seed = 1): void {
  const r = rng(seed);
  const values = model.weights.map((w) => {
    const n = w.shape.reduce((a: number, b) => a * (b as number), 1);
    const positive = /moving_variance/.test(w.originalName ?? w.name);
    const data = Float32Array.from({ length: n }, () => (positive ? 0.5 + r() : r() - 0.5));
    return tf.tensor(data, w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

export async function runOnnx(
  bytes: Uint8Array,
  x: Float32Array,
  dims: number[],
): Promise<{ data: Float32Array; dims: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, dims) });
    const t = out[session.outputNames[0]];
    return { data: (t.data as Float32Array).slice(), dims: [...t.dims] };
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function spread(a: ArrayLike<number>): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  return hi - lo;
}

/**
 * tfjs predict vs the exported file in onnxruntime-web on the same seeded batch; returns the bytes.
 * The tolerance is absolute for outputs within [-1, 1] and relative to the largest output beyond;
 * near-constant outputs are refused (they would hide a wrong conversion).
 */
export async function expectRoundTrip(model: LayersModel, batch = 2, tol = 1e-4, seed = 7): Promise<Uint8Array> {
  const shape = [batch, ...(model.inputs[0].shape.slice(1) as number[])];
  const x = randomArray(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  const input = tf.tensor(x, shape);
  const expected = model.predict(input) as tf.Tensor;
  const want = await expected.data();
  const wantShape = expected.shape;
  tf.dispose([input, expected]);
  const bytes = await exportOnnx({ net: model });
  const got = await runOnnx(bytes, x, shape);
  expect(got.dims).toEqual(wantShape);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  expect(spread(want)).toBeGreaterThan(1e-3);
  expect(maxAbsDiff(got.data, want)).toBeLessThan(tol * scale);
  return bytes;
}

let pythonOnnx: boolean | undefined;
const CHECKER = '/usr/bin/python3';

export function hasPythonOnnx(): boolean {
  pythonOnnx ??= existsSync(CHECKER) && spawnSync(CHECKER, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0;
  if (!pythonOnnx) console.warn(`[backend-onnx] skipping onnx.checker: ${CHECKER} cannot import onnx`);
  return pythonOnnx;
}

/** Runs onnx.checker (full_check) on each file in one Python process; returns one error line per failing file. */
export function pythonCheck(files: Record<string, Uint8Array>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'graft-onnx-check-'));
  const paths = Object.entries(files).map(([name, bytes]) => {
    const p = path.join(dir, `${name.replace(/\W/g, '_')}.onnx`);
    writeFileSync(p, bytes);
    return p;
  });
  const script = [
    'import onnx, sys',
    'for p in sys.argv[1:]:',
    '    try:',
    '        onnx.checker.check_model(onnx.load(p), full_check=True)',
    '    except Exception as e:',
    '        print(p, str(e).splitlines()[0])',
  ].join('\n');
  const r = spawnSync(CHECKER, ['-c', script, ...paths], { encoding: 'utf8' });
  if (r.status !== 0) return [`checker crashed: ${r.stderr}`];
  return r.stdout.split('\n').filter(Boolean);
}
