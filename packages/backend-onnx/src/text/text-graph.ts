import { GraftError } from '@graftjs/core';
import type { DecodedModel, DecodedValueInfo } from '../onnx/decode';
import type { NodeDef, TensorDef, ValueInfoDef } from '../onnx/encode';
import { allNames } from '../onnx/prune';
import { rewriteOnnx } from '../onnx/rewrite';
import { DATA_TYPE } from '../onnx/schema';

export type Pooling = 'mean' | 'cls';

/** The token inputs a BERT-style graph takes, by the names transformers.js feeds. */
export interface TokenInputs {
  ids: string;
  mask: string;
  /** Absent where the graph has no token_type_ids input. */
  types?: string;
  /** int64 (as exported by optimum) or int32. */
  elemType: number;
}

export interface TextGraph {
  /** The file plus pooling and normalisation, with the sentence embedding as an added output. */
  bytes: Uint8Array;
  inputs: TokenInputs;
  embedding: string;
  /** A fixed sequence length the file declares, if any. */
  fixedLength: number | undefined;
  /** Pooling applied ('none' when the chosen output is already one vector per text). */
  pooling: Pooling | 'none';
}

const INT_TYPES: number[] = [DATA_TYPE.int64, DATA_TYPE.int32];

function tokenInputs(model: DecodedModel): { inputs: TokenInputs; addMask: ValueInfoDef | null } {
  const byName = new Map(model.inputs.map((i) => [i.name, i]));
  const names = model.inputs.map((i) => `"${i.name}"`).join(', ');
  const ids = byName.get('input_ids');
  const extra = model.inputs.filter((i) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(i.name));
  if (!ids || extra.length > 0)
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `expected a text encoder taking input_ids, attention_mask and optionally token_type_ids (a BERT-style export), got inputs ${names}`,
    );
  const given = [ids, byName.get('attention_mask'), byName.get('token_type_ids')].filter(
    (v): v is DecodedValueInfo => v !== undefined,
  );
  const bad = given.find((v) => !INT_TYPES.includes(v.elemType) || v.elemType !== ids.elemType || v.dims?.length !== 2);
  if (bad)
    throw new GraftError(
      'ONNX_INPUT_MISMATCH',
      `expected token inputs as int64 (or int32) [batch, sequence], got "${bad.name}" of ONNX type ${bad.elemType} and rank ${bad.dims?.length ?? 'unknown'}`,
    );
  const mask = byName.get('attention_mask');
  return {
    inputs: {
      ids: ids.name,
      mask: 'attention_mask',
      types: byName.has('token_type_ids') ? 'token_type_ids' : undefined,
      elemType: ids.elemType,
    },
    // pooling needs the mask; a graph that does not take one gets it as a new input
    addMask: mask ? null : { name: 'attention_mask', elemType: ids.elemType, dims: ids.dims },
  };
}

function pickOutput(model: DecodedModel, requested: string | undefined): DecodedValueInfo {
  const names = model.outputs.map((o) => `"${o.name}"`).join(', ');
  const name = requested ?? (model.outputs.some((o) => o.name === 'last_hidden_state') ? 'last_hidden_state' : null);
  const out = name === null ? model.outputs[0] : model.outputs.find((o) => o.name === name);
  if (!out)
    throw new GraftError(
      'ONNX_UNKNOWN_OUTPUT',
      `expected output ${JSON.stringify(name)} among the graph's outputs ${names || '(none)'}`,
    );
  const rank = out.dims?.length;
  if (out.elemType !== DATA_TYPE.float || (rank !== undefined && rank !== 2 && rank !== 3))
    throw new GraftError(
      'ONNX_UNKNOWN_OUTPUT',
      `expected "${out.name}" as float32 [batch, sequence, hidden] (token states) or [batch, hidden] (pooled), got ONNX type ${out.elemType} and rank ${rank}`,
    );
  return out;
}

/**
 * Appends pooling over the token states (attention-masked mean, or the first token) and L2 normalisation, so one
 * ONNX graph maps token ids to sentence embeddings: the session runs it and the hybrid export keeps it. Written
 * with ops whose form is the same in every opset from 11 (MatMul, Flatten, Gather, LpNormalization).
 */
export function textGraph(
  bytes: Uint8Array,
  model: DecodedModel,
  options: { output?: string; pooling: Pooling; normalize: boolean },
): TextGraph {
  const { inputs, addMask } = tokenInputs(model);
  const out = pickOutput(model, options.output);
  const taken = allNames(model);
  const fresh = (base: string) => {
    let name = `graft_${base}`;
    for (let i = 1; taken.has(name); i++) name = `graft_${base}_${i}`;
    taken.add(name);
    return name;
  };
  const nodes: NodeDef[] = [];
  const initializers: TensorDef[] = [];
  const op = (opType: string, ins: string[], base: string, attrs?: NodeDef['attrs']) => {
    const o = fresh(base);
    nodes.push({ opType, inputs: ins, outputs: [o], name: o, attrs });
    return o;
  };
  const tokenStates = out.dims?.length !== 2;
  let pooled = out.name;
  if (tokenStates && options.pooling === 'cls') {
    const first = fresh('first');
    initializers.push({ name: first, dims: [], data: new BigInt64Array([0n]) });
    pooled = op('Gather', [out.name, first], 'cls', { axis: { i: 1 } });
  } else if (tokenStates) {
    pooled = meanPool(out.name, inputs.mask, op, fresh, initializers);
  }
  const embedding = options.normalize
    ? op('LpNormalization', [pooled], 'l2', { axis: { i: -1 }, p: { i: 2 } })
    : pooled;
  const fixed = model.inputs.find((i) => i.name === inputs.ids)?.dims?.[1];
  return {
    bytes: rewriteOnnx(bytes, model, {
      appendNodes: nodes,
      initializers,
      ...(addMask ? { inputs: [...model.inputs, addMask] } : {}),
      addOutputs: [{ name: embedding, elemType: DATA_TYPE.float, dims: ['batch', 'graft_embedding'] }],
    }),
    inputs,
    embedding,
    fixedLength: typeof fixed === 'number' && fixed > 0 ? fixed : undefined,
    pooling: tokenStates ? options.pooling : 'none',
  };
}

/** sum_t(mask[b,t] * h[b,t,:]) / max(sum_t mask[b,t], 1e-9), as sentence-transformers' mean pooling. */
function meanPool(
  states: string,
  mask: string,
  op: (opType: string, ins: string[], base: string, attrs?: NodeDef['attrs']) => string,
  fresh: (base: string) => string,
  initializers: TensorDef[],
): string {
  const rowShape = fresh('row_shape');
  const colShape = fresh('col_shape');
  const eps = fresh('eps');
  initializers.push(
    { name: rowShape, dims: [3], data: new BigInt64Array([0n, 1n, -1n]) },
    { name: colShape, dims: [3], data: new BigInt64Array([0n, -1n, 1n]) },
    { name: eps, dims: [], data: new Float32Array([1e-9]) },
  );
  const m = op('Cast', [mask], 'mask_float', { to: { i: DATA_TYPE.float } });
  const row = op('Reshape', [m, rowShape], 'mask_row'); // [b, 1, t]
  const sum = op('MatMul', [row, states], 'masked_sum'); // [b, 1, d]
  // the count of real tokens as a product too (the mask is 0/1): [b, 1, t] x [b, t, 1]; ReduceSum's axes moved
  // from an attribute to an input in opset 13, a product reads the same in every opset
  const count = op('MatMul', [row, op('Reshape', [m, colShape], 'mask_col')], 'count'); // [b, 1, 1]
  const mean = op('Div', [sum, op('Max', [count, eps], 'count_safe')], 'mean');
  return op('Flatten', [mean], 'mean_flat', { axis: { i: 1 } });
}
