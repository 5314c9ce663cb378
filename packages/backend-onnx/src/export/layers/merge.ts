import { type LayerConverter, unsupported } from '../layer-call';
import type { Value } from '../values';

/**
 * Element-wise merges (Add, Multiply, Average, Maximum, Minimum): every input is taken in
 * the first input's current layout, so residual adds between convolutions stay in NCHW.
 */
function merge(op: string): LayerConverter {
  return (call, ctx) => {
    const rank = call.inputs[0].shape.length;
    if (call.inputs.some((v) => v.shape.length !== rank)) throw unsupported(call, 'inputs of different ranks');
    const [, layout] = ctx.current(call.inputs[0]);
    const names = call.inputs.map((v) => ctx.get(v, layout === 'nchw' ? 'nchw' : 'nhwc'));
    const opType = op === 'Sum' && names.length === 2 ? 'Add' : op;
    return [ctx.value(call.outputShapes[0], ctx.b.op(opType, names, undefined, call.layer.name), layout)];
  };
}

export const add = merge('Sum');
export const multiply: LayerConverter = (call, ctx) => {
  // Mul is binary: chain it.
  let acc: Value = call.inputs[0];
  call.inputs.slice(1).forEach((v, i) => {
    const [a, layout] = ctx.current(acc);
    const b = ctx.get(v, layout === 'nchw' ? 'nchw' : 'nhwc');
    const base = i === call.inputs.length - 2 ? call.layer.name : `${call.layer.name}/mul${i}`;
    acc = ctx.value(call.outputShapes[0], ctx.b.op('Mul', [a, b], undefined, base), layout);
  });
  return [acc];
};
export const average = merge('Mean');
export const maximum = merge('Max');
export const minimum = merge('Min');

/** Concatenate along a Keras axis, mapped to where that axis sits in the layout used. */
export const concatenate: LayerConverter = (call, ctx) => {
  const rank = call.inputs[0].shape.length;
  const raw = Number(call.config.axis ?? -1);
  const axis = raw < 0 ? rank + raw : raw;
  const [, layout] = ctx.current(call.inputs[0]);
  const names = call.inputs.map((v) => ctx.get(v, layout === 'nchw' ? 'nchw' : 'nhwc'));
  const y = ctx.b.op('Concat', names, { axis: { i: ctx.axisIn(axis, layout) } }, call.layer.name);
  return [ctx.value(call.outputShapes[0], y, layout)];
};
