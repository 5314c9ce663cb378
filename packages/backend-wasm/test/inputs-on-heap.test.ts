import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ADDED_KERNELS, REPLACED_KERNELS } from '../src/kernels/register';
import { onBackend } from './compare-backends';

// A tensor made on cpu moves onto the wasm heap at the wasm backend's first lookup of its data; when that move
// grows the heap, a view taken before it is on a detached buffer ("Cannot perform Construct on a detached
// ArrayBuffer"). Each case below feeds a graft kernel cpu-born inputs big enough that the move must grow the heap.
const BIG = [96, 224, 224, 3]; // 58 MB of float32, more than the heap has free after earlier suites
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function cpuBorn(shape: number[]): Promise<tf.Tensor> {
  return onBackend('cpu', () =>
    tf.tensor(
      Float32Array.from({ length: size(shape) }, (_, i) => (i % 97) / 97),
      shape,
    ),
  );
}

describe('graft wasm kernels on inputs that still live on another backend', () => {
  it('every graft kernel is registered with its inputs brought onto the heap first', () => {
    // the wrapper is what makes the cases below hold for kernels without a case of their own
    for (const config of [...ADDED_KERNELS, ...REPLACED_KERNELS]) {
      const registered = tf.getKernel(config.kernelName, 'wasm');
      expect(registered?.kernelFunc, config.kernelName).not.toBe(config.kernelFunc);
    }
  });

  it.each([
    ['Slice', (x: tf.Tensor) => tf.slice(x, [1, 0, 0, 0], [2, 224, 224, 3])],
    ['Tile', (x: tf.Tensor) => tf.tile(tf.slice(x, [0, 0, 0, 0], [1, 224, 224, 3]), [2, 1, 1, 1])],
    ['Sum', (x: tf.Tensor) => tf.sum(x, [0])],
    ['Mean', (x: tf.Tensor) => tf.mean(x, [0])],
  ])('%s reads a cpu-born input that grows the heap as it moves', async (_name, op) => {
    const expected = await onBackend('cpu', async () => {
      const x = await cpuBorn(BIG);
      const y = op(x);
      const values = await y.data();
      tf.dispose([x, y]);
      return values;
    });
    const x = await cpuBorn(BIG);
    const values = await onBackend('wasm', async () => {
      const y = op(x);
      const out = await y.data();
      y.dispose();
      return out;
    });
    x.dispose();
    expect(values.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i] - expected[i]));
    expect(worst).toBeLessThan(1e-3);
  });
});
