import { type LayerConverter, requireChannelsLast, unsupported } from '../layer-call';

function pairs(v: unknown): [[number, number], [number, number]] {
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  const a = v as (number | number[])[];
  const one = (x: number | number[]): [number, number] => (typeof x === 'number' ? [x, x] : [x[0], x[1]]);
  return [one(a[0]), one(a[1])];
}

/** ZeroPadding2D: Pad in NCHW with pads [0, 0, top, left, 0, 0, bottom, right] (an input since opset 11). */
export const zeroPadding2d: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const [[t, b], [l, r]] = pairs(call.config.padding ?? 1);
  const pads = ctx.b.int64s(`${call.layer.name}/pads`, [0, 0, t, l, 0, 0, b, r]);
  const y = ctx.b.op('Pad', [ctx.get(call.inputs[0], 'nchw'), pads], { mode: { s: 'constant' } }, call.layer.name);
  return [ctx.value(call.outputShapes[0], y, 'nchw')];
};

/** Cropping2D: Slice over H and W of the NCHW tensor. */
export const cropping2d: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const [[t, b], [l, r]] = pairs(call.config.cropping);
  const [, h, w] = call.inputs[0].shape;
  if (h === null || w === null) throw unsupported(call, 'unknown input height or width');
  const name = call.layer.name;
  const inputs = [
    ctx.get(call.inputs[0], 'nchw'),
    ctx.b.int64s(`${name}/starts`, [t, l]),
    ctx.b.int64s(`${name}/ends`, [h - b, w - r]),
    ctx.b.int64s(`${name}/axes`, [2, 3]),
  ];
  return [ctx.value(call.outputShapes[0], ctx.b.op('Slice', inputs, undefined, name), 'nchw')];
};
