import { applyActivation, clip, softmax } from '../activation';
import type { LayerConverter } from '../layer-call';

/** Activation layers: Activation, ReLU (maxValue), LeakyReLU, ELU, ThresholdedReLU, Softmax. */
export const activation: LayerConverter = (call, ctx) => [
  applyActivation(ctx, call.inputs[0], String(call.config.activation ?? 'linear'), call.layer.name),
];

export const relu: LayerConverter = (call, ctx) => {
  const max = call.config.maxValue;
  const [x] = call.inputs;
  if (max === null || max === undefined) return [ctx.unary(x, 'Relu', call.layer.name)];
  return [clip(ctx, x, 0, Number(max), call.layer.name)];
};

export const leakyRelu: LayerConverter = (call, ctx) => [
  ctx.unary(call.inputs[0], 'LeakyRelu', call.layer.name, { alpha: { f: Number(call.config.alpha ?? 0.3) } }),
];

export const elu: LayerConverter = (call, ctx) => [
  ctx.unary(call.inputs[0], 'Elu', call.layer.name, { alpha: { f: Number(call.config.alpha ?? 1) } }),
];

export const thresholdedRelu: LayerConverter = (call, ctx) => [
  ctx.unary(call.inputs[0], 'ThresholdedRelu', call.layer.name, { alpha: { f: Number(call.config.theta ?? 1) } }),
];

export const softmaxLayer: LayerConverter = (call, ctx) => {
  const axis = Array.isArray(call.config.axis) ? (call.config.axis as number[])[0] : Number(call.config.axis ?? -1);
  return [softmax(ctx, call.inputs[0], axis, call.layer.name)];
};
