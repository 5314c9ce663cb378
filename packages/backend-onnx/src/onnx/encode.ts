import { littleEndianBytes, ProtoWriter } from '../proto/writer';
import {
  ATTR,
  ATTR_TYPE,
  DATA_TYPE,
  DIM,
  GRAPH,
  MODEL,
  NODE,
  OPSET,
  SHAPE,
  STRING_ENTRY,
  TENSOR,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './schema';

/** One attribute value; the key says its ONNX type. */
export type Attr = { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] };

export interface NodeDef {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, Attr>;
}

export interface TensorDef {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array;
}

/** A dimension: a size, or a symbolic name such as "N" for the batch. */
export type Dim = number | string;

export interface ValueInfoDef {
  name: string;
  /** TensorProto data type; omitted together with dims, the type is left for the runtime to infer. */
  elemType?: number;
  /** null: shape unknown (rank unknown too). */
  dims: Dim[] | null;
}

export interface ModelDef {
  graphName: string;
  nodes: NodeDef[];
  initializers: TensorDef[];
  inputs: ValueInfoDef[];
  outputs: ValueInfoDef[];
  opsets: { domain: string; version: number }[];
  irVersion: number;
  metadata?: Record<string, string>;
}

function attribute(name: string, value: Attr): ProtoWriter {
  const w = new ProtoWriter().string(ATTR.name, name);
  if ('i' in value) w.int(ATTR.i, value.i).int(ATTR.type, ATTR_TYPE.int);
  else if ('f' in value) w.float(ATTR.f, value.f).int(ATTR.type, ATTR_TYPE.float);
  else if ('s' in value) w.string(ATTR.s, value.s).int(ATTR.type, ATTR_TYPE.string);
  else if ('ints' in value) w.packedInts(ATTR.ints, value.ints).int(ATTR.type, ATTR_TYPE.ints);
  else w.packedFloats(ATTR.floats, value.floats).int(ATTR.type, ATTR_TYPE.floats);
  return w;
}

export function encodeNode(node: NodeDef): Uint8Array {
  const w = new ProtoWriter();
  for (const i of node.inputs) w.string(NODE.input, i);
  for (const o of node.outputs) w.string(NODE.output, o);
  if (node.name) w.string(NODE.name, node.name);
  w.string(NODE.opType, node.opType);
  for (const [k, v] of Object.entries(node.attrs ?? {})) w.message(NODE.attribute, attribute(k, v));
  if (node.domain) w.string(NODE.domain, node.domain);
  return w.finish();
}

export function encodeTensor(t: TensorDef): Uint8Array {
  const type =
    t.data instanceof Float32Array
      ? DATA_TYPE.float
      : t.data instanceof BigInt64Array
        ? DATA_TYPE.int64
        : DATA_TYPE.int32;
  return new ProtoWriter()
    .packedInts(TENSOR.dims, t.dims)
    .int(TENSOR.dataType, type)
    .string(TENSOR.name, t.name)
    .bytes(TENSOR.rawData, littleEndianBytes(t.data))
    .finish();
}

export function encodeValueInfo(v: ValueInfoDef): Uint8Array {
  if (v.elemType === undefined && v.dims === null) return new ProtoWriter().string(VALUE_INFO.name, v.name).finish();
  const tensorType = new ProtoWriter().int(TENSOR_TYPE.elemType, v.elemType ?? DATA_TYPE.float);
  if (v.dims) tensorType.message(TENSOR_TYPE.shape, encodeShape(v.dims));
  const type = new ProtoWriter().message(TYPE.tensorType, tensorType);
  return new ProtoWriter().string(VALUE_INFO.name, v.name).message(VALUE_INFO.type, type).finish();
}

function encodeShape(dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(DIM.value, d);
    else dim.string(DIM.param, d);
    shape.message(SHAPE.dim, dim);
  }
  return shape;
}

export function encodeOpset(domain: string, version: number): Uint8Array {
  const w = new ProtoWriter();
  if (domain) w.string(OPSET.domain, domain);
  return w.int(OPSET.version, version).finish();
}

export function encodeMetadata(key: string, value: string): Uint8Array {
  return new ProtoWriter().string(STRING_ENTRY.key, key).string(STRING_ENTRY.value, value).finish();
}

export const PRODUCER = 'graft';
export const PRODUCER_VERSION = '0.1.0';

export function encodeModel(m: ModelDef): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of m.nodes) graph.bytes(GRAPH.node, encodeNode(n));
  graph.string(GRAPH.name, m.graphName);
  for (const t of m.initializers) graph.bytes(GRAPH.initializer, encodeTensor(t));
  for (const i of m.inputs) graph.bytes(GRAPH.input, encodeValueInfo(i));
  for (const o of m.outputs) graph.bytes(GRAPH.output, encodeValueInfo(o));
  const model = new ProtoWriter()
    .int(MODEL.irVersion, m.irVersion)
    .string(MODEL.producerName, PRODUCER)
    .string(MODEL.producerVersion, PRODUCER_VERSION)
    .message(MODEL.graph, graph);
  for (const o of m.opsets) model.bytes(MODEL.opsetImport, encodeOpset(o.domain, o.version));
  for (const [k, v] of Object.entries(m.metadata ?? {})) model.bytes(MODEL.metadataProps, encodeMetadata(k, v));
  return model.finish();
}
