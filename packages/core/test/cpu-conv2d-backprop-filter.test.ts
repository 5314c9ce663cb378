import { backends } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv2DBackpropFilterConfig,
  stockCpuConv2DBackpropFilter,
} from '../src/backends/cpu-kernels/conv2d-backprop-filter';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const CASES: {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: number | [number, number];
  pad: Pad;
  relu?: boolean;
}[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [1, 8, 9, 5], f: [3, 2, 5, 6], s: 2, pad: 'valid' },
  { x: [3, 6, 6, 1], f: [1, 1, 1, 8], s: 1, pad: 'valid' },
  { x: [2, 9, 9, 4], f: [5, 5, 4, 3], s: [2, 1], pad: 'same' },
  {
    x: [2, 6, 7, 2],
    f: [3, 3, 2, 5],
    s: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  },
  { x: [4, 5, 5, 6], f: [3, 3, 6, 7], s: 1, pad: 'same', relu: true },
];

/** Runs a kernel config on the cpu backend and reads its result. */
function run(config: tf.KernelConfig, x: tf.Tensor, dy: tf.Tensor, attrs: Record<string, unknown>): Float32Array {
  const backend = tf.backend();
  const out = config.kernelFunc({ inputs: { x, dy }, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo;
  const values = backend.readSync(out.dataId) as Float32Array;
  backend.disposeData(out.dataId);
  return values;
}

describe("graft's cpu Conv2DBackpropFilter", () => {
  beforeAll(async () => {
    await backends.use('cpu');
  });

  it('is the kernel tfjs runs for conv filter gradients on cpu', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(stockCpuConv2DBackpropFilter()).toBeDefined();
  });

  it.each(CASES)('matches the stock kernel: x $x, filter $f, strides $s, pad $pad', ({ x: xs, f, s, pad, relu }) => {
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => {
      const r = tf.randomNormal(xs, 0, 1, 'float32', 7);
      return relu ? tf.relu(r) : r;
    });
    const info = tf.backend_util.computeConv2DInfo(xs, f, s, 1, pad, undefined, false, 'channelsLast');
    const dy = tf.randomNormal([xs[0], info.outHeight, info.outWidth, f[3]], 0, 1, 'float32', 8);
    const attrs = { strides: s, pad, dataFormat: 'NHWC', filterShape: f };
    const ours = run(conv2DBackpropFilterConfig, x, dy, attrs);
    const theirs = run(stockCpuConv2DBackpropFilter() as tf.KernelConfig, x, dy, attrs);
    expect(ours).toHaveLength(f.reduce((a, b) => a * b, 1));
    const worst = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i])));
    expect(worst).toBeLessThan(1e-4);
    expect(Math.max(...theirs.map(Math.abs)), 'a non-trivial gradient').toBeGreaterThan(0.5);
    tf.dispose([x, dy]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the gradient tf.grad computes through conv2d (end to end, against a finite difference)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 5, 5, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 2, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
      const loss = (k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, k as tf.Tensor4D, 1, 'same')));
      const g = tf.grad(loss)(w).arraySync() as number[][][][];
      const eps = 1e-2;
      const bump = tf.buffer(w.shape, 'float32');
      bump.set(eps, 1, 2, 0, 1);
      const plus = loss(tf.add(w, bump.toTensor())).dataSync()[0];
      const minus = loss(tf.sub(w, bump.toTensor())).dataSync()[0];
      expect(g[1][2][0][1]).toBeCloseTo((plus - minus) / (2 * eps), 1);
    });
  });
});
