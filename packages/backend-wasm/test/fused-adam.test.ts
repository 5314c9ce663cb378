import { isGraftError } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useGraftWasmKernels } from '../src/index';
import { GRAFT_ADAM } from '../src/kernels/adam';
import { maxAbsDiff, numDataIds, onBackend, randomData } from './compare-backends';

// The fused Adam step on wasm (one GraftAdamUpdate kernel per weight) against tfjs' own AdamOptimizer on the cpu
// backend: same weights, same gradients, several steps, then weights, both moments and the iteration count.
const SHAPES = [[3, 3, 4, 8], [8], [5, 7], [1]];
const STEPS = 3;
let run = 0;

afterEach(() => useGraftWasmKernels(true));

interface Trained {
  weights: Float32Array[];
  /** getWeights(): iterations, then the first moments, then the second moments. */
  state: { name: string; values: Float32Array }[];
  kernels: string[];
}

/** STEPS Adam steps on fresh variables; the kernels of the last step; everything read back, then freed. */
async function train(backend: 'cpu' | 'wasm', asArray = false): Promise<Trained> {
  return onBackend(backend, async () => {
    const tag = `adam${run++}`;
    const vars = SHAPES.map((s, i) =>
      tf.variable(tf.tensor(randomData(tf.util.sizeFromShape(s), 10 + i), s), true, `${tag}/w${i}`),
    );
    const opt = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    const grads = (step: number) =>
      vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(randomData(v.size, 100 * step + i), v.shape) }));
    let kernels: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      const g = grads(step);
      const apply = () =>
        opt.applyGradients(asArray ? g : Object.fromEntries(g.map(({ name, tensor }) => [name, tensor])));
      if (step === STEPS - 1) kernels = (await tf.profile(apply)).kernels.map((k) => k.name);
      else apply();
      tf.dispose(g.map((x) => x.tensor));
    }
    const weights = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
    const state = await Promise.all(
      (await opt.getWeights()).map(async (w) => ({ name: w.name, values: (await w.tensor.data()) as Float32Array })),
    );
    opt.dispose();
    tf.dispose(vars);
    return { weights, state, kernels };
  });
}

function expectClose(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const scale = b[i].reduce((m, v) => Math.max(m, Math.abs(v)), 1e-3);
    expect(maxAbsDiff(x, b[i])).toBeLessThan(1e-5 * scale);
    expect(b[i].some((v) => v !== 0)).toBe(true);
  });
}

describe('fused Adam on wasm', () => {
  it('matches tfjs AdamOptimizer on cpu: weights, moments and iterations after several steps', async () => {
    const cpu = await train('cpu');
    for (const asArray of [false, true]) {
      const wasm = await train('wasm', asArray);
      expectClose(wasm.weights, cpu.weights);
      expect(wasm.state.map((s) => s.name.replace(/^adam\d+/, ''))).toEqual(
        cpu.state.map((s) => s.name.replace(/^adam\d+/, '')),
      );
      expect(wasm.state[0].values[0]).toBe(STEPS);
      expectClose(
        wasm.state.map((s) => s.values),
        cpu.state.map((s) => s.values),
      );
    }
  });

  it('runs one GraftAdamUpdate kernel per weight and none of the stock chain', async () => {
    const { kernels } = await train('wasm');
    expect(kernels.filter((k) => k === GRAFT_ADAM)).toHaveLength(SHAPES.length);
    expect(kernels).not.toContain('Sqrt');
    expect(kernels).not.toContain('Square');
    // only the two bias-correction accumulators' updates besides the fused kernels
    expect(kernels.filter((k) => k !== GRAFT_ADAM)).toEqual(['Multiply', 'Multiply']);
  });

  it("with graft's kernels switched off, tfjs' own update runs and gives the same result", async () => {
    const fused = await train('wasm');
    useGraftWasmKernels(false);
    const stock = await train('wasm');
    expect(stock.kernels).not.toContain(GRAFT_ADAM);
    expect(stock.kernels).toContain('Sqrt');
    expectClose(fused.weights, stock.weights);
  });

  it('leaves no tensors or wasm buffers behind once the moments exist', async () => {
    await onBackend('wasm', async () => {
      const v = tf.variable(tf.tensor(randomData(40, 3), [5, 8]), true, `leak${run++}`);
      const g = tf.tensor(randomData(40, 4), [5, 8]);
      const opt = tf.train.adam(0.01);
      opt.applyGradients({ [v.name]: g }); // creates the two moment variables
      const tensors = tf.memory().numTensors;
      const ids = numDataIds();
      for (let i = 0; i < 3; i++) opt.applyGradients({ [v.name]: g });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(numDataIds()).toBe(ids);
      opt.dispose();
      tf.dispose([v, g]);
    });
  });

  it('the kernel refuses a non-float32 or mismatched input with a GraftError', async () => {
    await onBackend('wasm', () => {
      const attrs = {
        learningRate: 0.1,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        oneMinusAccBeta1: 0.1,
        oneMinusAccBeta2: 0.001,
      };
      const cases: [Record<string, tf.Tensor>, string, RegExp][] = [
        [{ grad: tf.zeros([2, 3], 'int32') }, 'INVALID_DATA', /float32 'grad', got "int32"/],
        [{ m: tf.zeros([3, 2]) }, 'SHAPE_MISMATCH', /'m' of the weight's shape \[2, 3\], got \[3, 2\]/],
      ];
      for (const [override, code, message] of cases) {
        const before = numDataIds();
        tf.tidy(() => {
          const inputs = {
            value: tf.ones([2, 3]),
            m: tf.zeros([2, 3]),
            v: tf.zeros([2, 3]),
            grad: tf.ones([2, 3]),
            ...override,
          };
          let caught: unknown;
          try {
            tf.engine().runKernel(GRAFT_ADAM, inputs as never, attrs as never);
          } catch (e) {
            caught = e;
          }
          expect(isGraftError(caught, code)).toBe(true);
          expect((caught as Error).message).toMatch(message);
        });
        expect(numDataIds()).toBe(before);
      }
    });
  });
});
