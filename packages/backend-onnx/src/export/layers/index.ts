import type { LayerConverter } from '../layer-call';
import { activation, elu, leakyRelu, relu, softmaxLayer, thresholdedRelu } from './activations';
import { batchNormalization } from './batch-norm';
import { conv2d } from './conv';
import { dense } from './dense';
import { depthwiseConv2d, separableConv2d } from './depthwise-conv';
import { globalAveragePooling2d, globalMaxPooling2d } from './global-pooling';
import { identity } from './identity';
import { l2Normalize } from './l2-normalize';
import { add, average, concatenate, maximum, minimum, multiply } from './merge';
import { cropping2d, zeroPadding2d } from './padding';
import { averagePooling2d, maxPooling2d } from './pooling';
import { flatten, permuteLayer, reshape } from './reshape';
import { upSampling2d } from './upsampling';

/** tfjs-layers class name -> converter. Nested models are handled by the graph walker, not here. */
export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
  Dense: dense,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  BatchNormalization: batchNormalization,
  Activation: activation,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  ELU: elu,
  ThresholdedReLU: thresholdedRelu,
  Softmax: softmaxLayer,
  MaxPooling2D: maxPooling2d,
  AveragePooling2D: averagePooling2d,
  GlobalAveragePooling2D: globalAveragePooling2d,
  GlobalMaxPooling2D: globalMaxPooling2d,
  Flatten: flatten,
  Reshape: reshape,
  Permute: permuteLayer,
  Add: add,
  Multiply: multiply,
  Average: average,
  Maximum: maximum,
  Minimum: minimum,
  Concatenate: concatenate,
  ZeroPadding2D: zeroPadding2d,
  Cropping2D: cropping2d,
  UpSampling2D: upSampling2d,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  GraftL2Normalize: l2Normalize,
};
