/** Timing helpers shared by the ONNX benches. */
import type { PreparedRuntime } from '@graftjs/core/adapter';
import type * as tf from '@tensorflow/tfjs-core';

export type Variant = () => Promise<void>;

/**
 * Median ms of each variant over `reps` rounds, after one untimed warm-up each. Every round runs each variant
 * once, in turn, so a burst of load from other processes on shared cores hits all of them alike.
 */
export async function timeRounds(reps: number, variants: Record<string, Variant>): Promise<Record<string, number>> {
  const names = Object.keys(variants);
  for (const name of names) await variants[name]();
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < reps; r++) {
    for (const name of names) {
      const t0 = performance.now();
      await variants[name]();
      times[name].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(
    names.map((n) => {
      const sorted = times[n].sort((a, b) => a - b);
      return [n, sorted[Math.floor(sorted.length / 2)]];
    }),
  );
}

/** The command line that reproduces this run, BENCH_* variables first. */
export function benchCommand(): string {
  const cmd = ['node', ...process.execArgv, ...process.argv.slice(1).map((a) => a.replace(`${process.cwd()}/`, ''))];
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v}`);
  return [...env, ...cmd].join(' ');
}

/** tfjs `model.predict` with its output read back, and the same batch through a prepared onnx runtime. */
export function predictVariants(
  model: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] },
  onnx: PreparedRuntime,
  x: tf.Tensor,
): { tfjs: Variant; onnx: Variant } {
  return {
    tfjs: async () => {
      const y = model.predict(x) as tf.Tensor;
      await y.data();
      y.dispose();
    },
    onnx: async () => (await onnx.run(x)).dispose(),
  };
}
