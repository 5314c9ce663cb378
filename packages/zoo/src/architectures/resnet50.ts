import type { Embeds, LayersBackbone } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type BuilderOptions, kernelInit, resolveOptions } from './builder-options';
import { finishBackbone } from './finish-backbone';

type Sym = tfl.SymbolicTensor;

/** Keras' "caffe" preprocessing: BGR, 0..255, ImageNet mean subtracted (in BGR order), no std. */
const CAFFE = {
  range: [0, 255] as [number, number],
  channelOrder: 'bgr' as const,
  mean: [103.939, 116.779, 123.68] as [number, number, number],
};

/** ResNet50 with tf.keras.applications layer names (conv{stage}_block{n}_{i}_conv ...). Feature layer: conv5_block3_out. */
export async function resnet50(options: BuilderOptions = {}): Promise<LayersBackbone & Embeds> {
  const resolved = resolveOptions('resnet50', options, 32);
  const init = kernelInit(options.seed);
  const conv = (filters: number, kernelSize: number, name: string, strides = 1, padding: 'same' | 'valid' = 'valid') =>
    tfl.layers.conv2d({ filters, kernelSize, strides, padding, kernelInitializer: init(), name });
  const bn = (name: string) => tfl.layers.batchNormalization({ axis: -1, epsilon: 1.001e-5, name });
  const relu = (name: string) => tfl.layers.activation({ activation: 'relu', name });

  // Bottleneck block: 1x1 -> 3x3 -> 1x1 (4x filters), plus an identity or 1x1-conv shortcut.
  const block = (input: Sym, filters: number, name: string, stride: number, convShortcut: boolean): Sym => {
    let shortcut = input;
    if (convShortcut) {
      shortcut = conv(4 * filters, 1, `${name}_0_conv`, stride).apply(input) as Sym;
      shortcut = bn(`${name}_0_bn`).apply(shortcut) as Sym;
    }
    let x = conv(filters, 1, `${name}_1_conv`, stride).apply(input) as Sym;
    x = relu(`${name}_1_relu`).apply(bn(`${name}_1_bn`).apply(x)) as Sym;
    x = conv(filters, 3, `${name}_2_conv`, 1, 'same').apply(x) as Sym;
    x = relu(`${name}_2_relu`).apply(bn(`${name}_2_bn`).apply(x)) as Sym;
    x = conv(4 * filters, 1, `${name}_3_conv`).apply(x) as Sym;
    x = bn(`${name}_3_bn`).apply(x) as Sym;
    x = tfl.layers.add({ name: `${name}_add` }).apply([shortcut, x]) as Sym;
    return relu(`${name}_out`).apply(x) as Sym;
  };
  const stack = (input: Sym, filters: number, blocks: number, stride: number, name: string): Sym => {
    let x = block(input, filters, `${name}_block1`, stride, true);
    for (let i = 2; i <= blocks; i++) x = block(x, filters, `${name}_block${i}`, 1, false);
    return x;
  };

  const input = tfl.input({ shape: resolved.inputShape, name: 'input_1' });
  let x = tfl.layers
    .zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: 'conv1_pad',
    })
    .apply(input) as Sym;
  x = conv(64, 7, 'conv1_conv', 2).apply(x) as Sym;
  x = relu('conv1_relu').apply(bn('conv1_bn').apply(x)) as Sym;
  x = tfl.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pool1_pad',
    })
    .apply(x) as Sym;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as Sym;
  x = stack(x, 64, 3, 1, 'conv2');
  x = stack(x, 128, 4, 2, 'conv3');
  x = stack(x, 256, 6, 2, 'conv4');
  x = stack(x, 512, 3, 2, 'conv5');

  if (resolved.includeTop) {
    x = tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as Sym;
    x = tfl.layers
      .dense({ units: resolved.classes, activation: 'softmax', kernelInitializer: init(), name: 'predictions' })
      .apply(x) as Sym;
  }

  const [rows, cols] = resolved.inputShape;
  const model = tfl.model({ inputs: input, outputs: x, name: 'resnet50' });
  return finishBackbone(
    {
      name: 'resnet50',
      model,
      featureLayer: 'conv5_block3_out',
      preprocessing: { size: [rows, cols], ...CAFFE },
      weightsName: 'resnet50',
      architecture: { builder: 'resnet50' },
    },
    resolved,
    options,
  );
}
