import { kerasLayout, type LayerConverter, unsupported } from '../layer-call';

/**
 * Flatten keeps tfjs's element order: rank-4 inputs go back to tfjs's (NHWC) order before flattening. With
 * `dataFormat: 'channelsFirst'`, tfjs first moves axis 1 last (so the result matches a channels-last model's),
 * and so does the export.
 */
export const flatten: LayerConverter = (call, ctx) => {
  const input = call.inputs[0];
  let x = ctx.get(input, 'nhwc');
  const rank = input.shape.length;
  if (call.config.dataFormat === 'channelsFirst' && rank > 2) {
    const perm = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
    x = ctx.b.op('Transpose', [x], { perm: { ints: perm } }, `${call.layer.name}/channels_last`);
  }
  return [ctx.value(call.outputShapes[0], ctx.b.op('Flatten', [x], { axis: { i: 1 } }, call.layer.name), 'plain')];
};

/** Reshape in Keras (NHWC) order; 0 copies the batch dimension. */
export const reshape: LayerConverter = (call, ctx) => {
  // tfjs stores the inferred dimension (-1) as null
  const target = (call.config.targetShape as (number | null)[]).map((d) => (d === null ? -1 : d));
  if (target.filter((d) => d === -1).length > 1)
    throw unsupported(call, `targetShape [${target.join(', ')}] has two unknown dims`);
  const shape = ctx.b.int64s(`${call.layer.name}/shape`, [0, ...target]);
  const out = call.outputShapes[0];
  const y = ctx.b.op('Reshape', [ctx.get(call.inputs[0], 'nhwc'), shape], undefined, call.layer.name);
  return [ctx.value(out, y, kerasLayout(out))];
};

/** Permute: `dims` are 1-based and exclude the batch axis. */
export const permuteLayer: LayerConverter = (call, ctx) => {
  const dims = call.config.dims as number[];
  const out = call.outputShapes[0];
  const y = ctx.b.op('Transpose', [ctx.get(call.inputs[0], 'nhwc')], { perm: { ints: [0, ...dims] } }, call.layer.name);
  return [ctx.value(out, y, kerasLayout(out))];
};
