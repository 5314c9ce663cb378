import { applyActivation } from '../activation';
import { type LayerConverter, need, pair, permute, requireChannelsLast, unsupported, weightsOf } from '../layer-call';
import { paddingAttrs } from '../same-padding';

/** Conv2D: NCHW Conv with the Keras kernel [kh, kw, in, out] permuted (3, 2, 0, 1) to [out, in, kh, kw]. */
export const conv2d: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const cfg = call.config;
  if (cfg.padding !== 'valid' && cfg.padding !== 'same') throw unsupported(call, `padding "${String(cfg.padding)}"`);
  const [x] = call.inputs;
  const w = weightsOf(call.layer);
  const kernel = need(call, w, 'kernel');
  const bias = w.get('bias');
  const name = call.layer.name;
  const [kh, kw, cin, cout] = kernel.shape;
  const strides = pair(cfg.strides, 1);
  const dilations = pair(cfg.dilationRate, 1);
  const inputs = [
    ctx.get(x, 'nchw'),
    ctx.b.weight(`${name}/kernel`, permute(kernel.data, kernel.shape, [3, 2, 0, 1]), [cout, cin, kh, kw]),
  ];
  if (bias) inputs.push(ctx.b.weight(`${name}/bias`, bias.data, bias.shape));
  const y = ctx.b.op(
    'Conv',
    inputs,
    {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: strides },
      dilations: { ints: dilations },
      ...paddingAttrs(cfg.padding, x.shape, [kh, kw], strides, dilations),
    },
    name,
  );
  return [applyActivation(ctx, ctx.value(call.outputShapes[0], y, 'nchw'), String(cfg.activation ?? 'linear'), name)];
};
