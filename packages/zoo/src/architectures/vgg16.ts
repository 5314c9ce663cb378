import type { Embeds, LayersBackbone } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type BuilderOptions, kernelInit, resolveOptions } from './builder-options';
import { finishBackbone } from './finish-backbone';

type Sym = tfl.SymbolicTensor;

/** [filters, convolutions] per block, as in keras.applications.vgg16. */
const BLOCKS: [number, number][] = [
  [64, 2],
  [128, 2],
  [256, 3],
  [512, 3],
  [512, 3],
];

/** VGG16 with Keras' layer names (block{b}_conv{i}, block{b}_pool, fc1, fc2, predictions). Feature layer: block5_pool. */
export async function vgg16(options: BuilderOptions = {}): Promise<LayersBackbone & Embeds> {
  const resolved = resolveOptions('vgg16', options, 32);
  const init = kernelInit(options.seed);

  const input = tfl.input({ shape: resolved.inputShape, name: 'input_1' });
  let x = input;
  BLOCKS.forEach(([filters, convs], b) => {
    for (let i = 1; i <= convs; i++) {
      x = tfl.layers
        .conv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(),
          name: `block${b + 1}_conv${i}`,
        })
        .apply(x) as Sym;
    }
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x) as Sym;
  });

  if (resolved.includeTop) {
    x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as Sym;
    x = tfl.layers.dense({ units: 4096, activation: 'relu', kernelInitializer: init(), name: 'fc1' }).apply(x) as Sym;
    x = tfl.layers.dense({ units: 4096, activation: 'relu', kernelInitializer: init(), name: 'fc2' }).apply(x) as Sym;
    x = tfl.layers
      .dense({ units: resolved.classes, activation: 'softmax', kernelInitializer: init(), name: 'predictions' })
      .apply(x) as Sym;
  }

  const [rows, cols] = resolved.inputShape;
  const model = tfl.model({ inputs: input, outputs: x, name: 'vgg16' });
  return finishBackbone(
    {
      name: 'vgg16',
      model,
      featureLayer: 'block5_pool',
      // Keras "caffe" preprocessing: BGR, 0..255, ImageNet mean subtracted (BGR order), no std.
      preprocessing: { size: [rows, cols], range: [0, 255], channelOrder: 'bgr', mean: [103.939, 116.779, 123.68] },
      weightsName: 'vgg16',
      architecture: { builder: 'vgg16' },
    },
    resolved,
    options,
  );
}
