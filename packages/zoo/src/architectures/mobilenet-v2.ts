import type { Embeds, LayersBackbone } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type AlphaOptions, alphaName, kernelInit, resolveAlpha, resolveOptions } from './builder-options';
import { finishBackbone } from './finish-backbone';

type Sym = tfl.SymbolicTensor;

/** Keras' _make_divisible: round channels to a multiple of 8, never dropping more than 10%. */
function makeDivisible(v: number, divisor = 8): number {
  let n = Math.max(divisor, Math.trunc(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

/** Keras' correct_pad for a stride-2 3x3 conv: one pixel after, and one before only when the size is odd. */
function correctPad(x: Sym): [[number, number], [number, number]] {
  const [, h, w] = x.shape as number[];
  return [
    [h % 2, 1],
    [w % 2, 1],
  ];
}

/** [expansion, filters, stride] for blocks 0..16, as in keras.applications.mobilenet_v2. */
const BLOCKS: [number, number, number][] = [
  [1, 16, 1],
  [6, 24, 2],
  [6, 24, 1],
  [6, 32, 2],
  [6, 32, 1],
  [6, 32, 1],
  [6, 64, 2],
  [6, 64, 1],
  [6, 64, 1],
  [6, 64, 1],
  [6, 96, 1],
  [6, 96, 1],
  [6, 96, 1],
  [6, 160, 2],
  [6, 160, 1],
  [6, 160, 1],
  [6, 320, 1],
];

/** MobileNetV2 with Keras' layer names (tf.keras.applications.MobileNetV2). Feature layer: out_relu. */
export async function mobilenetV2(options: AlphaOptions = {}): Promise<LayersBackbone & Embeds> {
  const resolved = resolveOptions('mobilenetV2', options, 32);
  const alpha = resolveAlpha('mobilenetV2', options.alpha);
  const init = kernelInit(options.seed);
  const bn = (name: string) => tfl.layers.batchNormalization({ axis: -1, momentum: 0.999, epsilon: 1e-3, name });
  const relu6 = (name: string) => tfl.layers.reLU({ maxValue: 6, name });
  const conv1x1 = (filters: number, name: string) =>
    tfl.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init(), name });

  const input = tfl.input({ shape: resolved.inputShape, name: 'input_1' });
  let x = tfl.layers
    .conv2d({
      filters: makeDivisible(32 * alpha),
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
      name: 'Conv1',
    })
    .apply(input) as Sym;
  x = relu6('Conv1_relu').apply(bn('bn_Conv1').apply(x)) as Sym;

  BLOCKS.forEach(([expansion, filters, stride], id) => {
    const inChannels = x.shape[3] as number;
    const pointwise = makeDivisible(Math.trunc(filters * alpha));
    const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
    const inputs = x;
    if (id > 0) {
      x = conv1x1(expansion * inChannels, `${prefix}expand`).apply(x) as Sym;
      x = relu6(`${prefix}expand_relu`).apply(bn(`${prefix}expand_BN`).apply(x)) as Sym;
    }
    if (stride === 2) x = tfl.layers.zeroPadding2d({ padding: correctPad(x), name: `${prefix}pad` }).apply(x) as Sym;
    x = tfl.layers
      .depthwiseConv2d({
        kernelSize: 3,
        strides: stride,
        padding: stride === 1 ? 'same' : 'valid',
        useBias: false,
        depthwiseInitializer: init(),
        name: `${prefix}depthwise`,
      })
      .apply(x) as Sym;
    x = relu6(`${prefix}depthwise_relu`).apply(bn(`${prefix}depthwise_BN`).apply(x)) as Sym;
    x = conv1x1(pointwise, `${prefix}project`).apply(x) as Sym;
    x = bn(`${prefix}project_BN`).apply(x) as Sym;
    if (inChannels === pointwise && stride === 1)
      x = tfl.layers.add({ name: `${prefix}add` }).apply([inputs, x]) as Sym;
  });

  const lastFilters = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
  x = conv1x1(lastFilters, 'Conv_1').apply(x) as Sym;
  x = relu6('out_relu').apply(bn('Conv_1_bn').apply(x)) as Sym;

  if (resolved.includeTop) {
    x = tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as Sym;
    x = tfl.layers
      .dense({ units: resolved.classes, activation: 'softmax', kernelInitializer: init(), name: 'predictions' })
      .apply(x) as Sym;
  }

  const [rows, cols] = resolved.inputShape;
  const model = tfl.model({ inputs: input, outputs: x, name: `mobilenetv2_${alphaName(alpha)}_${rows}` });
  return finishBackbone(
    {
      name: `mobilenet_v2_${alphaName(alpha)}_${rows}`,
      model,
      featureLayer: 'out_relu',
      preprocessing: { size: [rows, cols], range: [-1, 1], channelOrder: 'rgb' },
      weightsName: `mobilenet_v2_${alphaName(alpha)}_${rows}`,
      architecture: { builder: 'mobilenetV2', alpha },
    },
    resolved,
    options,
  );
}
