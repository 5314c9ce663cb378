import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { onBackend, randomData } from './compare-backends';

const L = tfl.layers;
type Sym = tfl.SymbolicTensor;

function head(t: Sym, flatten = true): Sym {
  const f = flatten ? (L.flatten().apply(t) as Sym) : t;
  return L.dense({ units: 3, activation: 'softmax' }).apply(f) as Sym;
}
function image(shape: number[] = [8, 8, 3]): Sym {
  return tfl.input({ shape });
}
function model(inp: Sym, out: Sym): tfl.LayersModel {
  return tfl.model({ inputs: inp, outputs: out });
}
function chain(x: Sym, ...layers: tfl.layers.Layer[]): Sym {
  return layers.reduce((t, l) => l.apply(t) as Sym, x);
}
const bnRelu6 = () => [L.batchNormalization(), L.reLU({ maxValue: 6 })];

/** Each factory builds a small model exercising one layer type (or block) from the brief. */
const factories: Record<string, () => tfl.LayersModel> = {
  'dense MLP + relu': () => {
    const x = tfl.input({ shape: [12] });
    return model(x, head(chain(x, L.dense({ units: 16, activation: 'relu' }), L.dense({ units: 8 })), false));
  },
  'conv2d valid s1': () => {
    const x = image();
    return model(x, head(chain(x, L.conv2d({ filters: 4, kernelSize: 3 }))));
  },
  'conv2d same s1': () => {
    const x = image();
    return model(x, head(chain(x, L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }))));
  },
  'conv2d valid s2': () => {
    const x = image();
    return model(x, head(chain(x, L.conv2d({ filters: 4, kernelSize: 3, strides: 2 }))));
  },
  'conv2d same s2 (stacked)': () => {
    const x = image();
    return model(
      x,
      head(
        chain(
          x,
          L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
          L.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same' }),
        ),
      ),
    );
  },
  'depthwise M1 s1 / M2 s2': () => {
    const x = image();
    return model(
      x,
      head(
        chain(
          x,
          L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }),
          L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
        ),
      ),
    );
  },
  maxPooling2d: () => {
    const x = image();
    return model(
      x,
      head(
        chain(
          x,
          L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
          L.maxPooling2d({ poolSize: 2 }),
        ),
      ),
    );
  },
  averagePooling2d: () => {
    const x = image();
    return model(x, head(chain(x, L.conv2d({ filters: 4, kernelSize: 3 }), L.averagePooling2d({ poolSize: 2 }))));
  },
  globalAveragePooling2d: () => {
    const x = image();
    return model(x, head(chain(x, L.conv2d({ filters: 6, kernelSize: 3 }), L.globalAveragePooling2d({})), false));
  },
  globalMaxPooling2d: () => {
    const x = image();
    return model(x, head(chain(x, L.conv2d({ filters: 6, kernelSize: 3 }), L.globalMaxPooling2d({})), false));
  },
  'batchNormalization + relu6 + dropout': () => {
    const x = image();
    return model(
      x,
      head(chain(x, L.conv2d({ filters: 4, kernelSize: 3 }), ...bnRelu6(), L.dropout({ rate: 0.3, seed: 7 }))),
    );
  },
  'zeroPadding2d + reshape': () => {
    const x = image();
    return model(
      x,
      head(
        chain(
          x,
          L.zeroPadding2d({ padding: 1 }),
          L.conv2d({ filters: 2, kernelSize: 3, activation: 'relu6' as never }),
          L.reshape({ targetShape: [128] }),
        ),
        false,
      ),
    );
  },
  'add + concatenate': () => {
    const x = image();
    const a = chain(x, L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }));
    const s = L.add().apply([a, x]) as Sym;
    return model(x, head(L.concatenate().apply([s, x]) as Sym));
  },
  'MobileNet v1 block': () => {
    const x = image();
    return model(
      x,
      head(
        chain(
          x,
          L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
          ...bnRelu6(),
          L.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }),
          ...bnRelu6(),
          L.conv2d({ filters: 8, kernelSize: 1, useBias: false }),
          ...bnRelu6(),
          L.zeroPadding2d({
            padding: [
              [0, 1],
              [0, 1],
            ],
          }),
          L.depthwiseConv2d({ kernelSize: 3, strides: 2, useBias: false }),
          ...bnRelu6(),
          L.globalAveragePooling2d({}),
        ),
        false,
      ),
    );
  },
  'MobileNet v2 inverted residual': () => {
    const x = image([8, 8, 4]);
    const y = chain(
      x,
      L.conv2d({ filters: 12, kernelSize: 1, useBias: false }),
      ...bnRelu6(),
      L.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }),
      ...bnRelu6(),
      L.conv2d({ filters: 4, kernelSize: 1, useBias: false }),
      L.batchNormalization(),
    );
    const sum = L.add().apply([x, y]) as Sym;
    return model(x, head(chain(sum, L.globalMaxPooling2d({})), false));
  },
  'ResNet basic block': () => {
    const x = image([8, 8, 4]);
    const y = chain(
      x,
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      L.batchNormalization(),
      L.activation({ activation: 'relu' }),
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      L.batchNormalization(),
    );
    const out = chain(
      L.add().apply([x, y]) as Sym,
      L.activation({ activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
    );
    return model(x, head(out));
  },
};

async function trainLosses(backend: 'cpu' | 'wasm', name: string, weights: Float32Array[] | null) {
  return onBackend(backend, async () => {
    const m = factories[name]();
    if (weights) m.setWeights(weights.map((w, i) => tf.tensor(w, m.getWeights()[i].shape)));
    const initial = m.getWeights().map((w) => w.dataSync() as Float32Array);
    m.compile({ optimizer: tf.train.sgd(0.3), loss: 'categoricalCrossentropy' });
    const inShape = m.inputs[0].shape.slice(1) as number[];
    const n = 16;
    const xs = tf.tensor(randomData(n * inShape.reduce((a, b) => a * b, 1), 11), [n, ...inShape]);
    const ys = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: n }, (_, i) => i % 3),
        'int32',
      ),
      3,
    );
    const h = await m.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);
    m.dispose();
    return { losses: h.history.loss as number[], initial };
  });
}

describe('each layer type trains on wasm like on cpu (2 epochs, same initial weights)', () => {
  for (const name of Object.keys(factories)) {
    it(name, async () => {
      const cpu = await trainLosses('cpu', name, null);
      const wasm = await trainLosses('wasm', name, cpu.initial);
      expect(wasm.losses.length).toBe(2);
      for (let e = 0; e < 2; e++) expect(Math.abs(wasm.losses[e] - cpu.losses[e])).toBeLessThan(1e-3);
      // Training must move the loss, or equal losses prove nothing about the gradients.
      expect(Math.abs(cpu.losses[1] - cpu.losses[0])).toBeGreaterThan(1e-4);
    });
  }
});
