import { GraftError } from '@graftjs/core';
import type { ConvertContext, Value } from './values';

/** Keras softmax acts on one axis; opsets < 13 coerce to 2D from the axis, so there it must be the last one. */
export function softmax(ctx: ConvertContext, v: Value, kerasAxis: number, base: string, op = 'Softmax'): Value {
  const rank = v.shape.length;
  const axis = kerasAxis < 0 ? rank + kerasAxis : kerasAxis;
  if (ctx.opset < 13) {
    if (axis !== rank - 1) {
      throw new GraftError(
        'ONNX_UNSUPPORTED_LAYER',
        `${base}: softmax over axis ${axis} needs opset 13, the graph uses ${ctx.opset}`,
      );
    }
    const name = ctx.get(v, 'nhwc');
    return ctx.value(v.shape, ctx.b.op(op, [name], { axis: { i: rank - 1 } }, base), rank === 4 ? 'nhwc' : 'plain');
  }
  const [name, layout] = ctx.current(v);
  return ctx.value(v.shape, ctx.b.op(op, [name], { axis: { i: ctx.axisIn(axis, layout) } }, base), layout);
}

export function clip(ctx: ConvertContext, v: Value, min: number, max: number | null, base: string): Value {
  const inputs = [ctx.b.scalar(`${base}_min`, min)];
  if (max !== null) inputs.push(ctx.b.scalar(`${base}_max`, max));
  return ctx.unary(v, 'Clip', base, undefined, inputs);
}

/** An element-wise op of two same-shaped tensors, in the first one's current layout. */
export function binary(ctx: ConvertContext, op: string, x: Value, y: Value, base: string): Value {
  const [a, layout] = ctx.current(x);
  const b = ctx.get(y, layout === 'nchw' ? 'nchw' : 'nhwc');
  return ctx.value(x.shape, ctx.b.op(op, [a, b], undefined, base), layout);
}

function mulSelf(ctx: ConvertContext, x: Value, gate: Value, base: string): Value {
  return binary(ctx, 'Mul', x, gate, base);
}

function binaryScalar(ctx: ConvertContext, op: string, v: Value, s: number, base: string): Value {
  return ctx.unary(v, op, base, undefined, [ctx.b.scalar(`${base}_c`, s)]);
}

/**
 * Applies a tfjs activation by its serialized name (`layer.getConfig().activation`).
 * Formulas follow tfjs-layers/src/activations.ts exactly (e.g. hardSigmoid = clip(0.2x + 0.5, 0, 1)).
 */
export function applyActivation(ctx: ConvertContext, v: Value, name: string, base: string): Value {
  const at = `${base}_${name}`;
  switch (name) {
    case 'linear':
      return v;
    case 'relu':
      return ctx.unary(v, 'Relu', at);
    case 'relu6':
      return clip(ctx, v, 0, 6, at);
    case 'sigmoid':
      return ctx.unary(v, 'Sigmoid', at);
    case 'tanh':
      return ctx.unary(v, 'Tanh', at);
    case 'softmax':
      return softmax(ctx, v, -1, at);
    case 'logSoftmax':
      return softmax(ctx, v, -1, at, 'LogSoftmax');
    case 'elu':
      return ctx.unary(v, 'Elu', at, { alpha: { f: 1 } });
    case 'selu':
      return ctx.unary(v, 'Selu', at);
    case 'softplus':
      return ctx.unary(v, 'Softplus', at);
    case 'softsign':
      return ctx.unary(v, 'Softsign', at);
    case 'hardSigmoid':
      return ctx.unary(v, 'HardSigmoid', at, { alpha: { f: 0.2 }, beta: { f: 0.5 } });
    case 'swish':
      return mulSelf(ctx, v, ctx.unary(v, 'Sigmoid', `${at}_gate`), at);
    case 'mish': {
      const t = ctx.unary(ctx.unary(v, 'Softplus', `${at}_sp`), 'Tanh', `${at}_tanh`);
      return mulSelf(ctx, v, t, at);
    }
    case 'gelu': {
      // 0.5 * x * (1 + erf(x / sqrt(2)))
      const e = ctx.unary(binaryScalar(ctx, 'Div', v, Math.SQRT2, `${at}_div`), 'Erf', `${at}_erf`);
      const cdf = binaryScalar(ctx, 'Mul', binaryScalar(ctx, 'Add', e, 1, `${at}_add`), 0.5, `${at}_half`);
      return mulSelf(ctx, v, cdf, at);
    }
    case 'gelu_new': {
      // 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))
      const k = binaryScalar(ctx, 'Mul', binaryScalar(ctx, 'Pow', v, 3, `${at}_cube`), 0.044715, `${at}_k`);
      const sum = binary(ctx, 'Add', v, k, `${at}_sum`);
      const t = ctx.unary(binaryScalar(ctx, 'Mul', sum, Math.sqrt(2 / Math.PI), `${at}_s`), 'Tanh', `${at}_tanh`);
      const half = binaryScalar(ctx, 'Mul', binaryScalar(ctx, 'Add', t, 1, `${at}_add`), 0.5, `${at}_half`);
      return mulSelf(ctx, v, half, at);
    }
    default:
      throw new GraftError('ONNX_UNSUPPORTED_LAYER', `${base}: activation "${name}" has no ONNX conversion`, {
        layer: base,
      });
  }
}
