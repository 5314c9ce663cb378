import { GraftError } from '@graftjs/core';
import { fieldInt, fieldString, ProtoDecodeError, type ProtoField, readFields } from '../proto/reader';
import type { Dim } from './encode';
import { DIM, GRAPH, MODEL, NODE, OPSET, SHAPE, TENSOR, TENSOR_TYPE, TYPE, VALUE_INFO } from './schema';

export interface DecodedNode {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
}

export interface DecodedValueInfo {
  name: string;
  elemType: number;
  /** null where the file gives no shape; a dim without size or name is ''. */
  dims: Dim[] | null;
}

/** What graft needs from an ONNX file, plus the raw fields so it can be re-encoded losslessly. */
export interface DecodedModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  nodes: DecodedNode[];
  /** Graph inputs that are real inputs (initializers listed as inputs by old exporters are left out). */
  inputs: DecodedValueInfo[];
  outputs: DecodedValueInfo[];
  initializers: Set<string>;
  modelFields: ProtoField[];
  graphFields: ProtoField[];
}

function sub(f: ProtoField): ProtoField[] {
  if (!(f.value instanceof Uint8Array)) throw new ProtoDecodeError(`field ${f.field} is not a message`);
  return readFields(f.value);
}

function decodeValueInfo(f: ProtoField): DecodedValueInfo {
  let name = '';
  let elemType = 0;
  let dims: Dim[] | null = null;
  for (const v of sub(f)) {
    if (v.field === VALUE_INFO.name) name = fieldString(v);
    if (v.field !== VALUE_INFO.type) continue;
    for (const t of sub(v)) {
      if (t.field !== TYPE.tensorType) continue;
      for (const tt of sub(t)) {
        if (tt.field === TENSOR_TYPE.elemType) elemType = fieldInt(tt);
        if (tt.field !== TENSOR_TYPE.shape) continue;
        dims = [];
        for (const d of sub(tt)) {
          if (d.field !== SHAPE.dim) continue;
          let dim: Dim = '';
          for (const x of sub(d)) {
            if (x.field === DIM.value) dim = fieldInt(x);
            if (x.field === DIM.param) dim = fieldString(x);
          }
          dims.push(dim);
        }
      }
    }
  }
  return { name, elemType, dims };
}

function decodeNode(f: ProtoField): DecodedNode {
  const node: DecodedNode = { opType: '', domain: '', inputs: [], outputs: [] };
  for (const n of sub(f)) {
    if (n.field === NODE.input) node.inputs.push(fieldString(n));
    else if (n.field === NODE.output) node.outputs.push(fieldString(n));
    else if (n.field === NODE.opType) node.opType = fieldString(n);
    else if (n.field === NODE.domain) node.domain = fieldString(n);
  }
  return node;
}

function decodeStrict(bytes: Uint8Array): DecodedModel {
  const modelFields = readFields(bytes);
  const ir = modelFields.find((f) => f.field === MODEL.irVersion);
  const graph = modelFields.find((f) => f.field === MODEL.graph && f.wire === 2);
  if (ir?.wire !== 0) throw new ProtoDecodeError('no ir_version field');
  if (!graph) throw new ProtoDecodeError('no graph field');
  const opsets = modelFields
    .filter((f) => f.field === MODEL.opsetImport)
    .map((f) => {
      const o = { domain: '', version: 0 };
      for (const x of sub(f)) {
        if (x.field === OPSET.domain) o.domain = fieldString(x);
        if (x.field === OPSET.version) o.version = fieldInt(x);
      }
      return o;
    });
  const graphFields = sub(graph);
  const nodes: DecodedNode[] = [];
  const inputs: DecodedValueInfo[] = [];
  const outputs: DecodedValueInfo[] = [];
  const initializers = new Set<string>();
  for (const f of graphFields) {
    if (f.field === GRAPH.node) nodes.push(decodeNode(f));
    else if (f.field === GRAPH.input) inputs.push(decodeValueInfo(f));
    else if (f.field === GRAPH.output) outputs.push(decodeValueInfo(f));
    else if (f.field === GRAPH.initializer) {
      const name = sub(f).find((x) => x.field === TENSOR.name);
      if (name) initializers.add(fieldString(name));
    }
  }
  if (nodes.length === 0 || outputs.length === 0) throw new ProtoDecodeError('the graph has no nodes or no outputs');
  return {
    irVersion: fieldInt(ir),
    opsets,
    nodes,
    inputs: inputs.filter((i) => !initializers.has(i.name)),
    outputs,
    initializers,
    modelFields,
    graphFields,
  };
}

/** Decodes an ONNX ModelProto; anything that is not one (or is cut short) is ONNX_INVALID_FILE. */
export function decodeOnnx(bytes: Uint8Array, what = 'the given bytes'): DecodedModel {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new GraftError(
      'ONNX_INVALID_FILE',
      `expected the bytes of an ONNX model, got ${bytes instanceof Uint8Array ? 'an empty array' : typeof bytes}`,
    );
  }
  try {
    return decodeStrict(bytes);
  } catch (e) {
    if (!(e instanceof ProtoDecodeError) && !(e instanceof TypeError)) throw e;
    throw new GraftError(
      'ONNX_INVALID_FILE',
      `expected an ONNX model (protobuf ModelProto), but ${what} (${bytes.length} bytes) could not be read: ${e.message}` +
        ' (is the file truncated, or not an .onnx file?)',
    );
  }
}
