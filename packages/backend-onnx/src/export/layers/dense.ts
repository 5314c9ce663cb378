import { applyActivation } from '../activation';
import { type LayerConverter, need, weightsOf } from '../layer-call';
import type { Value } from '../values';

/** Dense: Gemm on 2D inputs; MatMul + Add over the last axis for higher ranks (Keras semantics). */
export const dense: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const w = weightsOf(call.layer);
  const kernel = need(call, w, 'kernel');
  const bias = w.get('bias');
  const name = call.layer.name;
  const k = ctx.b.weight(`${name}/kernel`, kernel.data, kernel.shape);
  const b = bias ? ctx.b.weight(`${name}/bias`, bias.data, bias.shape) : undefined;
  const outShape = call.outputShapes[0];
  let out: Value;
  if (x.shape.length === 2) {
    out = ctx.value(
      outShape,
      ctx.b.op('Gemm', b ? [ctx.get(x, 'nhwc'), k, b] : [ctx.get(x, 'nhwc'), k], undefined, name),
      'plain',
    );
  } else {
    let y = ctx.b.op('MatMul', [ctx.get(x, 'nhwc'), k], undefined, `${name}/matmul`);
    if (b) y = ctx.b.op('Add', [y, b], undefined, name);
    out = ctx.value(outShape, y, 'nhwc');
  }
  return [applyActivation(ctx, out, String(call.config.activation ?? 'linear'), name)];
};
