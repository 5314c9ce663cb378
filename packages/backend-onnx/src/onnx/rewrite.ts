import { fieldString, type ProtoField, readFields } from '../proto/reader';
import { ProtoWriter } from '../proto/writer';
import type { DecodedModel } from './decode';
import {
  encodeNode,
  encodeOpset,
  encodeTensor,
  encodeValueInfo,
  type NodeDef,
  type TensorDef,
  type ValueInfoDef,
} from './encode';
import { GRAPH, MODEL, TENSOR } from './schema';

/** Changes to apply to a decoded model; everything not mentioned is copied byte for byte. */
export interface GraphEdit {
  /** Nodes placed before the file's own nodes (they must not depend on them). */
  prependNodes?: NodeDef[];
  /** Nodes placed after the file's own nodes. */
  appendNodes?: NodeDef[];
  initializers?: TensorDef[];
  /** Replace the graph inputs (initializer entries in graph.input are kept). */
  inputs?: ValueInfoDef[];
  /** Outputs added after the file's outputs. */
  addOutputs?: ValueInfoDef[];
  /** Replace all graph outputs. */
  outputs?: ValueInfoDef[];
  /** Opset versions to raise (never lower) per domain. */
  minOpsets?: Record<string, number>;
  metadata?: Uint8Array[];
  /** Per node of the file (in order): false drops it (dead branches after outputs were replaced). */
  keepNodes?: boolean[];
  /** Initializers to drop (only used by dropped nodes). */
  dropInitializers?: Set<string>;
}

function copy(w: ProtoWriter, bytes: Uint8Array, f: ProtoField): void {
  w.raw(bytes.subarray(f.start, f.end));
}

export function rewriteOnnx(bytes: Uint8Array, model: DecodedModel, edit: GraphEdit): Uint8Array {
  const graphField = model.modelFields.find((f) => f.field === MODEL.graph) as ProtoField;
  const graphBytes = graphField.value as Uint8Array;
  const realInputs = new Set(model.inputs.map((i) => i.name));
  const g = new ProtoWriter();
  for (const n of edit.prependNodes ?? []) g.bytes(GRAPH.node, encodeNode(n));
  let nodeIndex = 0;
  for (const f of model.graphFields) {
    if (f.field === GRAPH.node && edit.keepNodes && !edit.keepNodes[nodeIndex++]) continue;
    if (f.field === GRAPH.initializer && edit.dropInitializers?.has(tensorName(f))) continue;
    if (f.field === GRAPH.input && edit.dropInitializers?.has(decodeName(f))) continue;
    if (f.field === GRAPH.output && edit.outputs) continue;
    if (f.field === GRAPH.input && edit.inputs) {
      // keep initializer entries (old IR files list them as inputs); drop the real inputs being replaced
      if (realInputs.has(decodeName(f))) continue;
    }
    copy(g, graphBytes, f);
  }
  for (const n of edit.appendNodes ?? []) g.bytes(GRAPH.node, encodeNode(n));
  for (const t of edit.initializers ?? []) g.bytes(GRAPH.initializer, encodeTensor(t));
  for (const i of edit.inputs ?? []) g.bytes(GRAPH.input, encodeValueInfo(i));
  for (const o of edit.outputs ?? []) g.bytes(GRAPH.output, encodeValueInfo(o));
  for (const o of edit.addOutputs ?? []) g.bytes(GRAPH.output, encodeValueInfo(o));

  const m = new ProtoWriter();
  const raised = new Set<string>();
  for (const f of model.modelFields) {
    if (f.field === MODEL.graph) {
      m.message(MODEL.graph, g);
    } else if (f.field === MODEL.opsetImport && edit.minOpsets) {
      const o = model.opsets[model.modelFields.filter((x) => x.field === MODEL.opsetImport).indexOf(f)];
      const want = edit.minOpsets[o.domain];
      raised.add(o.domain);
      m.bytes(MODEL.opsetImport, encodeOpset(o.domain, want !== undefined ? Math.max(want, o.version) : o.version));
    } else {
      copy(m, bytes, f);
    }
  }
  for (const [domain, version] of Object.entries(edit.minOpsets ?? {})) {
    if (!raised.has(domain)) m.bytes(MODEL.opsetImport, encodeOpset(domain, version));
  }
  for (const entry of edit.metadata ?? []) m.bytes(MODEL.metadataProps, entry);
  return m.finish();
}

function decodeName(f: ProtoField): string {
  const name = readFields(f.value as Uint8Array).find((x) => x.field === 1);
  return name ? fieldString(name) : '';
}

function tensorName(f: ProtoField): string {
  const name = readFields(f.value as Uint8Array).find((x) => x.field === TENSOR.name);
  return name ? fieldString(name) : '';
}
