import { createRng } from '@graftjs/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '../src/index';

/** Deterministic pseudo-random floats in [-1, 1) (core's seeded mulberry32), so cpu and wasm see identical inputs. */
export function randomData(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

export async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T | Promise<T>): Promise<T> {
  await tf.setBackend(name);
  return fn();
}

/** Runs one kernel on `backend` with float32 inputs given as (shape, data) pairs; returns the output values. */
export async function runKernelOn(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, { shape: number[]; data: Float32Array }>,
  attrs: Record<string, unknown>,
): Promise<{ shape: number[]; values: Float32Array }> {
  return onBackend(backend, async () => {
    const ts: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ts[k] = tf.tensor(v.data, v.shape, 'float32');
    const out = tf.engine().runKernel(kernelName, ts as never, attrs as never) as tf.Tensor;
    const values = (await out.data()) as Float32Array;
    const shape = out.shape;
    tf.dispose([out, ...Object.values(ts)]);
    return { shape, values };
  });
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Backend data blocks alive on the current backend (catches TensorInfo leaks inside kernels, which numTensors misses). */
export function numDataIds(): number {
  return tf.engine().backend.numDataIds();
}
