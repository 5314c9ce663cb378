import { backends } from '@graftjs/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { oneHot, randomData } from './seeded';

export interface Task {
  /** Builds the architecture; weights come from initialWeights(). */
  build(): tfl.LayersModel;
  inputShape: number[];
  samples: number;
  classes: number;
}

export interface Run {
  forward: Float32Array;
  losses: number[];
  /** Live tensors after the run minus before it. */
  leaked: number;
}

const seeded = (seed: number) => tfl.initializers.glorotUniform({ seed });

export const mlp: Task = {
  inputShape: [784],
  samples: 16,
  classes: 10,
  build: () =>
    tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [784], units: 32, activation: 'relu', kernelInitializer: seeded(1) }),
        tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeded(2) }),
      ],
    }),
};

export const cnn: Task = {
  inputShape: [12, 12, 1],
  samples: 16,
  classes: 10,
  build: () =>
    tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [12, 12, 1],
          filters: 8,
          kernelSize: 3,
          activation: 'relu',
          kernelInitializer: seeded(3),
        }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeded(4) }),
      ],
    }),
};

export interface Weights {
  shape: number[];
  values: Float32Array;
}

/** The seeded initial weights, built on cpu, as plain arrays that any backend can load. */
export async function initialWeights(task: Task): Promise<Weights[]> {
  await backends.use('cpu');
  const model = task.build();
  const out: Weights[] = [];
  for (const w of model.getWeights()) out.push({ shape: w.shape, values: (await w.data()) as Float32Array });
  model.dispose();
  return out;
}

/**
 * Loads `weights` into a fresh model on `backend`, predicts, trains 3 epochs with plain SGD (no shuffling),
 * and disposes everything. `await data()` only: dataSync() throws on webgpu in Node.
 */
export async function runOn(backend: string, task: Task, weights: Weights[]): Promise<Run> {
  await backends.use(backend);
  const before = tf.memory().numTensors;
  const model = task.build();
  const loaded = weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
  model.setWeights(loaded);
  tf.dispose(loaded);
  const optimizer = tf.train.sgd(0.1);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const size = task.inputShape.reduce((a, b) => a * b, 1);
  const xs = tf.tensor(randomData(task.samples * size, 11), [task.samples, ...task.inputShape]);
  const ys = tf.tensor(oneHot(task.samples, task.classes), [task.samples, task.classes]);
  const prediction = model.predict(xs) as tf.Tensor;
  const forward = (await prediction.data()) as Float32Array;
  prediction.dispose();
  // One batch per epoch, the size predict() used: every shape repeats, so each GPU shader is compiled once
  // (compiling, not running, is what costs time on a software Vulkan driver).
  const history = await model.fit(xs, ys, { epochs: 3, batchSize: task.samples, shuffle: false, verbose: 0 });
  tf.dispose([xs, ys]);
  model.dispose();
  optimizer.dispose();
  return { forward, losses: history.history.loss as number[], leaked: tf.memory().numTensors - before };
}
