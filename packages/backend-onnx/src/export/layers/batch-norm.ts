import { type LayerConverter, unsupported, weightsOf } from '../layer-call';

/**
 * BatchNormalization (inference): ONNX BatchNormalization over the channel axis when that is axis 1
 * in ONNX terms (rank 4 in NCHW, or rank 2); otherwise, for the last axis of other ranks, the folded
 * form x * scale + shift. Missing gamma (scale: false) is 1, missing beta (center: false) is 0.
 */
export const batchNormalization: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const rank = x.shape.length;
  const rawAxis = Array.isArray(call.config.axis) ? (call.config.axis as number[])[0] : Number(call.config.axis ?? -1);
  const axis = rawAxis < 0 ? rank + rawAxis : rawAxis;
  if (axis !== rank - 1)
    throw unsupported(call, `normalization over axis ${axis} of a rank-${rank} tensor (only the last axis)`);
  const w = weightsOf(call.layer);
  const mean = w.get('moving_mean');
  const variance = w.get('moving_variance');
  if (!mean || !variance) throw unsupported(call, 'moving statistics not found');
  const n = mean.data.length;
  const gamma = w.get('gamma')?.data ?? new Float32Array(n).fill(1);
  const beta = w.get('beta')?.data ?? new Float32Array(n);
  const eps = Number(call.config.epsilon ?? 1e-3);
  const name = call.layer.name;
  if (rank === 4 || rank === 2) {
    const inputs = [
      ctx.get(x, 'nchw'),
      ctx.b.weight(`${name}/gamma`, gamma, [n]),
      ctx.b.weight(`${name}/beta`, beta, [n]),
      ctx.b.weight(`${name}/moving_mean`, mean.data, [n]),
      ctx.b.weight(`${name}/moving_variance`, variance.data, [n]),
    ];
    const y = ctx.b.op('BatchNormalization', inputs, { epsilon: { f: eps } }, name);
    return [ctx.value(call.outputShapes[0], y, 'nchw')];
  }
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance.data[i] + eps);
    shift[i] = beta[i] - mean.data[i] * scale[i];
  }
  const m = ctx.b.op('Mul', [ctx.get(x, 'nhwc'), ctx.b.weight(`${name}/scale`, scale, [n])], undefined, `${name}/mul`);
  const y = ctx.b.op('Add', [m, ctx.b.weight(`${name}/shift`, shift, [n])], undefined, name);
  return [ctx.value(call.outputShapes[0], y, 'plain')];
};
