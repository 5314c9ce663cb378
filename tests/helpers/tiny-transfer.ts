/** A seeded 16x16 conv base and transfer model whose feature pass runs in seconds, for the feature store suites. */
import { fromDirectory, type ImageStream, type TransferModel, transfer } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ASSETS } from './assets';

export const PRE = { size: [16, 16] as [number, number], range: [-1, 1] as [number, number] };

/** Counts the images that go through the base (a layer with no weights that passes its input on). */
class CountImages extends tfl.layers.Layer {
  static className = 'CountImages';
  constructor(private readonly counter: { images: number }) {
    super({});
  }
  override call(
    inputs:
      | tfl.SymbolicTensor
      | tfl.SymbolicTensor[]
      | import('@tensorflow/tfjs-core').Tensor
      | import('@tensorflow/tfjs-core').Tensor[],
  ) {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as import('@tensorflow/tfjs-core').Tensor;
    this.counter.images += x.shape[0] ?? 0;
    return x;
  }
}

/** Conv (4 filters, seeded `seed`) then average pooling: 4 features per image; `counter` counts images run. */
export function tinyBase(counter = { images: 0 }, seed = 3): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 3] });
  const counted = new CountImages(counter).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tinyConvPool(counted, seed) });
}

/** The tiny base's layers on `x`: a seeded 3x3 stride-2 conv (4 filters, relu), then global average pooling. */
export function tinyConvPool(x: tfl.SymbolicTensor, seed = 3): tfl.SymbolicTensor {
  const conv = tfl.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    strides: 2,
    activation: 'relu',
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  });
  const pool = tfl.layers.globalAveragePooling2d({});
  return pool.apply(conv.apply(x)) as tfl.SymbolicTensor;
}

export function tinyModel(classes: number, base = tinyBase()): TransferModel {
  return transfer(base, { seed: 5, preprocessing: PRE }).freeze().addHead(classes);
}

/** The first `perClass` flowers of each of the 5 classes, streamed at 16x16, in class order. */
export async function flowerStream(perClass: number): Promise<ImageStream> {
  const all = await fromDirectory(`${ASSETS}/flowers`, { stream: true, size: [16, 16] });
  const seen = new Map<number, number>();
  const rows: number[] = [];
  all.labels.forEach((c, i) => {
    if ((seen.get(c) ?? 0) < perClass) rows.push(i);
    seen.set(c, (seen.get(c) ?? 0) + 1);
  });
  return all.take(rows);
}

export async function trainable(m: TransferModel): Promise<Float32Array[]> {
  return Promise.all(m.net.trainableWeights.map(async (w) => (await w.read().data()) as Float32Array));
}

export function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  if (a.map((x) => x.length).join() !== b.map((x) => x.length).join()) throw new Error('weights of other shapes');
  let m = 0;
  a.forEach((x, i) => {
    for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j] - b[i][j]));
  });
  return m;
}
