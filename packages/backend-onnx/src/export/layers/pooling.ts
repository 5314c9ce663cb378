import { type LayerConverter, pair, requireChannelsLast, unsupported } from '../layer-call';
import { paddingAttrs } from '../same-padding';

function pool(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (call, ctx) => {
    requireChannelsLast(call);
    const cfg = call.config;
    if (cfg.padding !== 'valid' && cfg.padding !== 'same') throw unsupported(call, `padding "${String(cfg.padding)}"`);
    const [x] = call.inputs;
    const kernel = pair(cfg.poolSize, 2);
    const strides = cfg.strides === null || cfg.strides === undefined ? kernel : pair(cfg.strides, 1);
    const attrs = {
      kernel_shape: { ints: kernel },
      strides: { ints: strides },
      ...paddingAttrs(cfg.padding, x.shape, kernel, strides),
    };
    // Keras/TF average pooling divides by the number of real (unpadded) pixels: count_include_pad = 0.
    if (op === 'AveragePool') Object.assign(attrs, { count_include_pad: { i: 0 } });
    return [ctx.value(call.outputShapes[0], ctx.b.op(op, [ctx.get(x, 'nchw')], attrs, call.layer.name), 'nchw')];
  };
}

export const maxPooling2d = pool('MaxPool');
export const averagePooling2d = pool('AveragePool');
