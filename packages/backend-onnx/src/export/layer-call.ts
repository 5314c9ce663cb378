import { GraftError } from '@graftjs/core';
import type { ConvertContext, KerasShape, Value } from './values';

/** The parts of a tfjs-layers Layer the converters read (typed loosely: configs are plain JSON). */
export interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  weights: {
    originalName?: string;
    name: string;
    shape: (number | null)[];
    read(): { dataSync(): ArrayLike<number> };
  }[];
}

/** One call of one layer: its config, converted inputs and the Keras shapes of its outputs. */
export interface LayerCall {
  layer: LayerLike;
  config: Record<string, unknown>;
  inputs: Value[];
  outputShapes: KerasShape[];
}

export type LayerConverter = (call: LayerCall, ctx: ConvertContext) => Value[];

export function unsupported(call: LayerCall, why: string): GraftError {
  return new GraftError(
    'ONNX_UNSUPPORTED_LAYER',
    `cannot export layer "${call.layer.name}" (${call.layer.getClassName()}) to ONNX: ${why}`,
    { layer: call.layer.name, className: call.layer.getClassName() },
  );
}

/** The layer's weights by short name ("kernel", "bias", "gamma", "moving_mean", ...). */
export function weightsOf(layer: LayerLike): Map<string, { data: Float32Array; shape: number[] }> {
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const w of layer.weights) {
    const short = (w.originalName ?? w.name).split('/').pop()?.replace(/:\d+$/, '') ?? w.name;
    out.set(short, { data: Float32Array.from(w.read().dataSync()), shape: w.shape as number[] });
  }
  return out;
}

export function need(call: LayerCall, weights: Map<string, { data: Float32Array; shape: number[] }>, key: string) {
  const w = weights.get(key);
  if (!w) throw unsupported(call, `weight "${key}" not found (has ${[...weights.keys()].join(', ') || 'none'})`);
  return w;
}

/** Keras accepts `3` or `[3, 3]` for sizes, strides and rates. */
export function pair(v: unknown, fallback: number): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0], a.length > 1 ? a[1] : a[0]];
}

export function requireChannelsLast(call: LayerCall): void {
  const f = call.config.dataFormat;
  if (f !== undefined && f !== 'channelsLast') throw unsupported(call, `dataFormat "${String(f)}" (only channelsLast)`);
}

/** Output layout for a result in Keras order: NHWC when rank 4. */
export function kerasLayout(shape: KerasShape): 'nhwc' | 'plain' {
  return shape.length === 4 ? 'nhwc' : 'plain';
}

/** Copies rank-4 `data` (row-major, `dims`) into the axis order `perm` (like numpy.transpose). */
export function permute(data: Float32Array, dims: number[], perm: number[]): Float32Array {
  if (dims.length !== 4) throw new Error(`permute expects a rank-4 kernel, got rank ${dims.length}`);
  const strides = [dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1];
  const [d0, d1, d2, d3] = perm.map((p) => dims[p]);
  const [s0, s1, s2, s3] = perm.map((p) => strides[p]);
  const out = new Float32Array(data.length);
  let o = 0;
  for (let a = 0; a < d0; a++)
    for (let b = 0; b < d1; b++)
      for (let c = 0; c < d2; c++) {
        const base = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++) out[o++] = data[base + d * s3];
      }
  return out;
}
