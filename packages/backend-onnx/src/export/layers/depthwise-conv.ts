import { applyActivation } from '../activation';
import {
  type LayerCall,
  type LayerConverter,
  need,
  pair,
  permute,
  requireChannelsLast,
  unsupported,
  weightsOf,
} from '../layer-call';
import { paddingAttrs } from '../same-padding';
import type { ConvertContext, Value } from '../values';

/**
 * Depthwise stage shared by DepthwiseConv2D and SeparableConv2D: the Keras kernel [kh, kw, C, M]
 * becomes [C*M, 1, kh, kw] (output channel c*M + m, as in tfjs) in a Conv with group = C.
 */
function depthwise(
  call: LayerCall,
  ctx: ConvertContext,
  kernel: { data: Float32Array; shape: number[] },
  base: string,
  bias?: string,
): string {
  const cfg = call.config;
  if (cfg.padding !== 'valid' && cfg.padding !== 'same') throw unsupported(call, `padding "${String(cfg.padding)}"`);
  const [x] = call.inputs;
  const [kh, kw, c, m] = kernel.shape;
  const strides = pair(cfg.strides, 1);
  const dilations = pair(cfg.dilationRate, 1);
  const k = ctx.b.weight(`${call.layer.name}/depthwise_kernel`, permute(kernel.data, kernel.shape, [2, 3, 0, 1]), [
    c * m,
    1,
    kh,
    kw,
  ]);
  return ctx.b.op(
    'Conv',
    bias ? [ctx.get(x, 'nchw'), k, bias] : [ctx.get(x, 'nchw'), k],
    {
      group: { i: c },
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: strides },
      dilations: { ints: dilations },
      ...paddingAttrs(cfg.padding, x.shape, [kh, kw], strides, dilations),
    },
    base,
  );
}

function finish(call: LayerCall, ctx: ConvertContext, y: string): Value[] {
  const out = ctx.value(call.outputShapes[0], y, 'nchw');
  return [applyActivation(ctx, out, String(call.config.activation ?? 'linear'), call.layer.name)];
}

export const depthwiseConv2d: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const w = weightsOf(call.layer);
  const bias = w.get('bias');
  const b = bias ? ctx.b.weight(`${call.layer.name}/bias`, bias.data, bias.shape) : undefined;
  return finish(call, ctx, depthwise(call, ctx, need(call, w, 'depthwise_kernel'), call.layer.name, b));
};

/** SeparableConv2D: the depthwise stage, then a 1x1 Conv with the pointwise kernel [1, 1, C*M, F] and the bias. */
export const separableConv2d: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const w = weightsOf(call.layer);
  const pointwise = need(call, w, 'pointwise_kernel');
  const bias = w.get('bias');
  const name = call.layer.name;
  const d = depthwise(call, ctx, need(call, w, 'depthwise_kernel'), `${name}/depthwise`);
  const [, , cm, f] = pointwise.shape;
  const inputs = [
    d,
    ctx.b.weight(`${name}/pointwise_kernel`, permute(pointwise.data, pointwise.shape, [3, 2, 0, 1]), [f, cm, 1, 1]),
  ];
  if (bias) inputs.push(ctx.b.weight(`${name}/bias`, bias.data, bias.shape));
  return finish(call, ctx, ctx.b.op('Conv', inputs, { kernel_shape: { ints: [1, 1] } }, name));
};
