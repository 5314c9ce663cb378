import type { GraphBuilder } from './graph-builder';

/** A Keras shape with the batch dimension first; null where unknown. */
export type KerasShape = (number | null)[];

/**
 * One Keras tensor as it exists in the ONNX graph. Rank-4 tensors may exist in NCHW (what ONNX's
 * Conv/Pool want) and/or NHWC (what Keras and graft's graph I/O use); the other layout is made on
 * demand with one Transpose and cached, so chains of convolutions never transpose back and forth.
 * Other ranks have a single, Keras-ordered name.
 */
export interface Value {
  shape: KerasShape;
  nchw?: string;
  nhwc?: string;
  plain?: string;
}

/** ONNX dims for a Keras shape: a symbolic batch "N", symbolic names where Keras has null. */
export function batchDims(shape: KerasShape): (number | string)[] {
  return shape.map((d, i) => (i === 0 ? 'N' : d === null ? `d${i}` : d));
}

export type Layout = 'nchw' | 'nhwc' | 'plain';

export class ConvertContext {
  constructor(
    readonly b: GraphBuilder,
    /** Default-domain opset the graph is written for (13, or the backbone's when joining). */
    readonly opset: number,
  ) {}

  /** Wraps an ONNX tensor name as a Value. */
  value(shape: KerasShape, name: string, layout: Layout): Value {
    if (shape.length !== 4) return { shape, plain: name };
    return layout === 'nchw' ? { shape, nchw: name } : { shape, nhwc: name };
  }

  /** The tensor's name in the wanted layout (rank 4), or its only name (other ranks). */
  get(v: Value, want: 'nchw' | 'nhwc'): string {
    if (v.shape.length !== 4) return v.plain as string;
    const have = v[want];
    if (have) return have;
    const from = (want === 'nchw' ? v.nhwc : v.nchw) as string;
    const perm = want === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    const name = this.b.op('Transpose', [from], { perm: { ints: perm } }, `${from}_${want}`);
    v[want] = name;
    return name;
  }

  /** Whatever layout exists already (NCHW preferred): for element-wise ops, which work in either. */
  current(v: Value): [string, Layout] {
    if (v.shape.length !== 4) return [v.plain as string, 'plain'];
    return v.nchw ? [v.nchw, 'nchw'] : [v.nhwc as string, 'nhwc'];
  }

  /** Applies a one-input element-wise op in the input's current layout. */
  unary(
    v: Value,
    opType: string,
    base: string,
    attrs?: Parameters<GraphBuilder['op']>[2],
    extra: string[] = [],
  ): Value {
    const [name, layout] = this.current(v);
    return this.value(v.shape, this.b.op(opType, [name, ...extra], attrs, base), layout);
  }

  /** Position of a Keras axis (non-negative) in the given layout. */
  axisIn(axis: number, layout: Layout): number {
    if (layout !== 'nchw') return axis;
    return [0, 2, 3, 1][axis];
  }
}
