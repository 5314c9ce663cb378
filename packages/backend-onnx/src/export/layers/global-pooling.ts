import { type LayerConverter, requireChannelsLast } from '../layer-call';

/** GlobalAverage/MaxPooling2D: the NCHW global pool gives [N, C, 1, 1]; Flatten makes Keras's [N, C]. */
function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return (call, ctx) => {
    requireChannelsLast(call);
    const name = call.layer.name;
    const pooled = ctx.b.op(op, [ctx.get(call.inputs[0], 'nchw')], undefined, `${name}/pool`);
    const out = call.outputShapes[0];
    if (out.length === 4) return [ctx.value(out, pooled, 'nchw')]; // keepDims
    return [ctx.value(out, ctx.b.op('Flatten', [pooled], { axis: { i: 1 } }, name), 'plain')];
  };
}

export const globalAveragePooling2d = globalPool('GlobalAveragePool');
export const globalMaxPooling2d = globalPool('GlobalMaxPool');
