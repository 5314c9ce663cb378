import { GraftError } from '@graftjs/core';
import type { DecodedModel, DecodedNode } from '../onnx/decode';
import type { NodeDef } from '../onnx/encode';
import { allNames } from '../onnx/prune';

/** Where the features come from: an existing tensor, or one made by nodes appended to the graph. */
export interface FeaturePlan {
  name: string;
  /** Nodes to append (dequantize and/or flatten); empty when the tensor already exists as is. */
  nodes: NodeDef[];
  /** Already a graph output (nothing to add). */
  isOutput: boolean;
  /** Chosen automatically: always 2D [N, features]. */
  auto: boolean;
}

/** Quantized ops whose activation input/output come with (scale, zero point) inputs. */
const MATMULS: Record<string, [number, number] | null> = {
  Gemm: null,
  MatMul: null,
  QLinearMatMul: [1, 2],
  QGemm: [1, 2],
};
const POOLS: Record<string, [number, number] | null> = {
  GlobalAveragePool: null,
  ReduceMean: null,
  QLinearGlobalAveragePool: [3, 4],
};

function candidates(model: DecodedModel): string {
  const tail = model.nodes.slice(-6).flatMap((n) => n.outputs);
  return [...new Set([...model.outputs.map((o) => o.name), ...tail])].map((n) => `"${n}"`).join(', ');
}

function autoPick(model: DecodedModel): { tensor: string; quant: [string, string] | null; from: string } | null {
  const find = (table: Record<string, [number, number] | null>, pick: (n: DecodedNode) => string) => {
    for (let i = model.nodes.length - 1; i >= 0; i--) {
      const n = model.nodes[i];
      if (!(n.opType in table)) continue;
      const q = table[n.opType];
      return {
        tensor: pick(n),
        quant: q ? ([n.inputs[q[0]], n.inputs[q[1]]] as [string, string]) : null,
        from: `${n.opType}`,
      };
    }
    return null;
  };
  return find(MATMULS, (n) => n.inputs[0]) ?? find(POOLS, (n) => n.outputs[0]);
}

/**
 * Resolves `featureOutput` (or picks one: the input of the last Gemm/MatMul, else the output of the
 * last GlobalAveragePool/ReduceMean, dequantized when the op is a QLinear one, flattened to 2D).
 */
export function planFeatureOutput(model: DecodedModel, requested?: string): FeaturePlan {
  if (requested !== undefined) {
    if (typeof requested !== 'string' || requested.length === 0) {
      throw new GraftError(
        'ONNX_UNKNOWN_OUTPUT',
        `featureOutput must be a tensor name, got ${JSON.stringify(requested)}`,
      );
    }
    if (model.outputs.some((o) => o.name === requested))
      return { name: requested, nodes: [], isOutput: true, auto: false };
    if (model.nodes.some((n) => n.outputs.includes(requested)))
      return { name: requested, nodes: [], isOutput: false, auto: false };
    throw new GraftError(
      'ONNX_UNKNOWN_OUTPUT',
      `the ONNX graph has no tensor named ${JSON.stringify(requested)}; expected a node output such as ${candidates(model)}`,
    );
  }
  const pick = autoPick(model);
  if (!pick) {
    throw new GraftError(
      'ONNX_UNKNOWN_OUTPUT',
      `could not pick a feature output automatically (no Gemm/MatMul or global pooling in the graph); name one with featureOutput, e.g. ${candidates(model)}`,
    );
  }
  const taken = allNames(model);
  const fresh = (base: string) => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const nodes: NodeDef[] = [];
  let source = pick.tensor;
  if (pick.quant) {
    const deq = fresh('graft_features_float');
    nodes.push({ opType: 'DequantizeLinear', inputs: [source, ...pick.quant], outputs: [deq], name: deq });
    source = deq;
  }
  const name = fresh('graft_features');
  nodes.push({ opType: 'Flatten', inputs: [source], outputs: [name], name, attrs: { axis: { i: 1 } } });
  return { name, nodes, isOutput: false, auto: true };
}
