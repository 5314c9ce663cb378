import { type LayerConverter, pair, requireChannelsLast, unsupported } from '../layer-call';

/**
 * UpSampling2D: Resize with scales [1, 1, sh, sw]. tfjs uses resizeNearestNeighbor / resizeBilinear
 * with alignCorners and halfPixelCenters off, which is ONNX's "asymmetric" coordinate mode.
 */
export const upSampling2d: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const interpolation = String(call.config.interpolation ?? 'nearest');
  if (interpolation !== 'nearest' && interpolation !== 'bilinear')
    throw unsupported(call, `interpolation "${interpolation}"`);
  const [sh, sw] = pair(call.config.size, 2);
  const name = call.layer.name;
  // roi is unused with "asymmetric" but must be an input before opset 13: pass an empty tensor.
  const roi = ctx.b.weight(`${name}/roi`, new Float32Array(0), [0]);
  const scales = ctx.b.weight(`${name}/scales`, new Float32Array([1, 1, sh, sw]), [4]);
  const attrs = {
    mode: { s: interpolation === 'nearest' ? 'nearest' : 'linear' },
    coordinate_transformation_mode: { s: 'asymmetric' },
    ...(interpolation === 'nearest' ? { nearest_mode: { s: 'floor' } } : {}),
  };
  const y = ctx.b.op('Resize', [ctx.get(call.inputs[0], 'nchw'), roi, scales], attrs, name);
  return [ctx.value(call.outputShapes[0], y, 'nchw')];
};
