import { kerasLayout, type LayerConverter } from '../layer-call';

/**
 * @graftjs/heads' L2Normalize ("GraftL2Normalize"): x / max(||x||_2 over the last axis, 1e-12).
 * ReduceL2 takes its axes as an attribute before opset 18 and as an input from 18 on (joined backbones).
 */
export const l2Normalize: LayerConverter = (call, ctx) => {
  const [v] = call.inputs;
  const x = ctx.get(v, 'nhwc');
  const name = call.layer.name;
  const axis = v.shape.length - 1;
  const norm =
    ctx.opset >= 18
      ? ctx.b.op('ReduceL2', [x, ctx.b.int64s(`${name}/axes`, [axis])], { keepdims: { i: 1 } }, `${name}/norm`)
      : ctx.b.op('ReduceL2', [x], { axes: { ints: [axis] }, keepdims: { i: 1 } }, `${name}/norm`);
  const safe = ctx.b.op('Max', [norm, ctx.b.scalar(`${name}/eps`, 1e-12)], undefined, `${name}/safe`);
  return [ctx.value(call.outputShapes[0], ctx.b.op('Div', [x, safe], undefined, name), kerasLayout(v.shape))];
};
