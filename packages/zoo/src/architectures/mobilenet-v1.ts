import type { Embeds, LayersBackbone } from '@graftjs/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type AlphaOptions, alphaName, kernelInit, resolveAlpha, resolveOptions } from './builder-options';
import { finishBackbone } from './finish-backbone';

type Sym = tfl.SymbolicTensor;

/** Published MobileNet v1 sizes; other input sizes take the 224 weights, as Keras does. */
const PUBLISHED_ROWS = [128, 160, 192, 224];

type Init = ReturnType<typeof kernelInit>;

const bn = (name: string) => tfl.layers.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name });
const relu6 = (name: string) => tfl.layers.activation({ activation: 'relu6', name });

/** Block `id`: a 3x3 depthwise conv and a 1x1 pointwise conv, each followed by BatchNorm and relu6. */
function depthwiseBlock(x: Sym, id: number, filters: number, stride: number, init: Init): Sym {
  x = tfl.layers
    .depthwiseConv2d({
      kernelSize: 3,
      strides: stride,
      padding: 'same',
      depthMultiplier: 1,
      useBias: false,
      depthwiseInitializer: init(),
      name: `conv_dw_${id}`,
    })
    .apply(x) as Sym;
  x = relu6(`conv_dw_${id}_relu`).apply(bn(`conv_dw_${id}_bn`).apply(x)) as Sym;
  x = tfl.layers
    .conv2d({
      filters,
      kernelSize: 1,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
      name: `conv_pw_${id}`,
    })
    .apply(x) as Sym;
  return relu6(`conv_pw_${id}_relu`).apply(bn(`conv_pw_${id}_bn`).apply(x)) as Sym;
}

/** The ImageNet classifier (includeTop), with Keras' layer names: pooling, a 1x1 conv as the dense layer. */
function classifierTop(x: Sym, channels: number, classes: number, init: Init): Sym {
  x = tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d_1' }).apply(x) as Sym;
  x = tfl.layers.reshape({ targetShape: [1, 1, channels], name: 'reshape_1' }).apply(x) as Sym;
  x = tfl.layers.dropout({ rate: 1e-3, name: 'dropout' }).apply(x) as Sym;
  x = tfl.layers
    .conv2d({ filters: classes, kernelSize: 1, padding: 'same', kernelInitializer: init(), name: 'conv_preds' })
    .apply(x) as Sym;
  x = tfl.layers.activation({ activation: 'softmax', name: 'act_softmax' }).apply(x) as Sym;
  return tfl.layers.reshape({ targetShape: [classes], name: 'reshape_2' }).apply(x) as Sym;
}

/**
 * MobileNet v1 with Keras' layer names (keras.applications.mobilenet, Keras 2.1.4 topology: 'same' padding,
 * no ZeroPadding layers), so the published tfjs/Keras weights load by name. Feature layer: conv_pw_13_relu.
 */
export async function mobilenetV1(options: AlphaOptions = {}): Promise<LayersBackbone & Embeds> {
  const resolved = resolveOptions('mobilenetV1', options, 32);
  const alpha = resolveAlpha('mobilenetV1', options.alpha);
  const init = kernelInit(options.seed);

  const input = tfl.input({ shape: resolved.inputShape, name: 'input_1' });
  let x = tfl.layers
    .conv2d({
      filters: Math.trunc(32 * alpha),
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
      name: 'conv1',
    })
    .apply(input) as Sym;
  x = relu6('conv1_relu').apply(bn('conv1_bn').apply(x)) as Sym;

  const blocks: [number, number][] = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  blocks.forEach(([filters, stride], i) => {
    x = depthwiseBlock(x, i + 1, Math.trunc(filters * alpha), stride, init);
  });

  if (resolved.includeTop) x = classifierTop(x, Math.trunc(1024 * alpha), resolved.classes, init);

  const [rows, cols] = resolved.inputShape;
  const model = tfl.model({ inputs: input, outputs: x, name: `mobilenet_${alphaName(alpha)}_${rows}` });
  const weightRows = PUBLISHED_ROWS.includes(rows) ? rows : 224;
  return finishBackbone(
    {
      name: `mobilenet_v1_${alphaName(alpha)}_${rows}`,
      model,
      featureLayer: 'conv_pw_13_relu',
      preprocessing: { size: [rows, cols], range: [-1, 1], channelOrder: 'rgb' },
      weightsName: `mobilenet_v1_${alphaName(alpha)}_${weightRows}`,
      architecture: { builder: 'mobilenetV1', alpha },
    },
    resolved,
    options,
  );
}
